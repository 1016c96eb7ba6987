import EduCore
import EduData
import Fluent
import Foundation

/// Realistic content for every demo unit: published articles in each category, a document
/// registry with files' metadata and links, introduction pages, leaders and departments, and a
/// few items still in the workflow so the admin has something to review.
enum DemoContent {
    struct Story {
        let category: String
        let title: String
        let summary: String
        let paragraphs: [String]
    }

    /// Agencies' stories; `{unit}` is the unit's name, `{head}` its head, `{year}` the school year.
    static let agencyStories: [Story] = [
        Story(category: "tin-tuc-su-kien", title: "Hội nghị tổng kết năm học 2025–2026, triển khai nhiệm vụ năm học 2026–2027",
              summary: "{unit} tổ chức hội nghị đánh giá kết quả năm học và giao chỉ tiêu cho năm học mới.",
              paragraphs: ["Sáng nay, {unit} tổ chức Hội nghị tổng kết năm học 2025–2026 và triển khai nhiệm vụ năm học 2026–2027. Dự hội nghị có đại diện lãnh đạo các phòng chuyên môn, hiệu trưởng các trường trực thuộc.",
                           "Năm học vừa qua, toàn ngành duy trì ổn định quy mô trường lớp, tỷ lệ huy động trẻ mẫu giáo 5 tuổi ra lớp đạt 100%, chất lượng giáo dục mũi nhọn tiếp tục được nâng lên với nhiều giải cao trong kỳ thi chọn học sinh giỏi.",
                           "Phát biểu chỉ đạo, {head} yêu cầu các đơn vị tập trung đổi mới phương pháp dạy học, đẩy mạnh chuyển đổi số và bảo đảm an toàn trường học ngay từ đầu năm học."]),
        Story(category: "thong-bao", title: "Thông báo lịch thi tuyển sinh vào lớp 10 THPT năm học 2026–2027",
              summary: "Kỳ thi diễn ra trong hai ngày với ba bài thi: Ngữ văn, Toán và Ngoại ngữ.",
              paragraphs: ["{unit} thông báo lịch thi tuyển sinh vào lớp 10 trung học phổ thông năm học 2026–2027 như sau: ngày thứ nhất thi Ngữ văn (120 phút) buổi sáng và Ngoại ngữ (60 phút) buổi chiều; ngày thứ hai thi Toán (120 phút).",
                           "Thí sinh có mặt tại điểm thi trước 7 giờ 00 để làm thủ tục dự thi, mang theo thẻ dự thi và giấy tờ tùy thân có ảnh.",
                           "Kết quả thi được công bố trên cổng thông tin điện tử và tra cứu bằng số báo danh kèm ngày sinh."]),
        Story(category: "tin-tuc-su-kien", title: "Tập huấn chuyển đổi số trong quản lý giáo dục cho cán bộ quản lý",
              summary: "Hơn 200 cán bộ quản lý được tập huấn sử dụng học bạ số, sổ điểm điện tử và hệ thống thư điện tử công vụ.",
              paragraphs: ["Nhằm triển khai hiệu quả Đề án chuyển đổi số ngành giáo dục, {unit} tổ chức lớp tập huấn cho cán bộ quản lý các trường.",
                           "Nội dung tập huấn gồm khai thác cơ sở dữ liệu ngành, sử dụng học bạ số, sổ điểm điện tử, thư điện tử công vụ và an toàn thông tin khi làm việc trên môi trường mạng.",
                           "Sau tập huấn, mỗi đơn vị cử một cán bộ đầu mối hỗ trợ giáo viên trong quá trình triển khai."]),
        Story(category: "tin-tuc-su-kien", title: "Kết quả kỳ thi chọn học sinh giỏi cấp tỉnh năm học 2025–2026",
              summary: "Nhiều học sinh đạt giải Nhất ở các môn Toán, Ngữ văn, Tiếng Anh và Tin học.",
              paragraphs: ["Kỳ thi chọn học sinh giỏi cấp tỉnh năm học 2025–2026 có gần 1.500 thí sinh tham dự ở 11 môn thi.",
                           "Kết quả có 35 giải Nhất, 112 giải Nhì, 198 giải Ba và 260 giải Khuyến khích. Các trường trung học phổ thông chuyên tiếp tục dẫn đầu về số lượng và chất lượng giải.",
                           "{unit} biểu dương các thầy cô giáo đã tận tâm bồi dưỡng và chúc mừng các em học sinh đạt giải."]),
        Story(category: "pho-bien-phap-luat", title: "Những điểm mới của Luật Nhà giáo năm 2025",
              summary: "Luật Nhà giáo quy định rõ chức danh, quyền và chính sách tiền lương của nhà giáo.",
              paragraphs: ["Luật Nhà giáo được Quốc hội thông qua năm 2025, có hiệu lực từ ngày 01/01/2026, lần đầu tiên quy định đầy đủ về nhà giáo trong một đạo luật riêng.",
                           "Một số điểm mới đáng chú ý: lương của nhà giáo được xếp cao nhất trong hệ thống thang bậc lương hành chính sự nghiệp; nhà giáo mầm non được nghỉ hưu sớm hơn nếu có nguyện vọng; thẩm quyền tuyển dụng nhà giáo được giao cho ngành giáo dục.",
                           "{unit} đề nghị các đơn vị tổ chức phổ biến nội dung Luật tới toàn thể cán bộ, giáo viên."]),
        Story(category: "pho-bien-phap-luat", title: "Phổ biến quy định về dạy thêm, học thêm theo Thông tư 29/2024/TT-BGDĐT",
              summary: "Giáo viên không được dạy thêm có thu tiền đối với học sinh mình đang dạy chính khóa.",
              paragraphs: ["Thông tư 29/2024/TT-BGDĐT quy định về dạy thêm, học thêm, có hiệu lực từ ngày 14/02/2025.",
                           "Theo đó, nhà trường chỉ tổ chức dạy thêm không thu tiền cho học sinh có kết quả học tập chưa đạt, học sinh được nhà trường lựa chọn bồi dưỡng học sinh giỏi và học sinh lớp cuối cấp tự nguyện ôn thi.",
                           "{unit} sẽ tăng cường kiểm tra việc thực hiện quy định tại các cơ sở giáo dục."]),
        Story(category: "tin-tuc-su-kien", title: "Tăng cường phòng, chống đuối nước cho học sinh trong dịp hè",
              summary: "Các trường phối hợp với gia đình quản lý học sinh, tổ chức dạy bơi an toàn.",
              paragraphs: ["Trước khi học sinh nghỉ hè, {unit} yêu cầu các trường tổ chức tuyên truyền kỹ năng phòng, chống đuối nước và thông tin đến cha mẹ học sinh.",
                           "Các đơn vị có bể bơi phối hợp với Đoàn Thanh niên tổ chức lớp dạy bơi miễn phí; nơi không có điều kiện phối hợp với địa phương để bố trí địa điểm an toàn."]),
        Story(category: "kiem-dinh-chat-luong", title: "Kiểm định chất lượng giáo dục và công nhận trường đạt chuẩn quốc gia năm 2026",
              summary: "Thêm 18 trường được công nhận đạt kiểm định chất lượng giáo dục và chuẩn quốc gia.",
              paragraphs: ["Năm 2026, {unit} đã tổ chức đánh giá ngoài cho 24 cơ sở giáo dục; 18 trường được công nhận đạt kiểm định chất lượng giáo dục cấp độ 2 trở lên và đạt chuẩn quốc gia mức độ 1.",
                           "Công tác phổ cập giáo dục mầm non cho trẻ 5 tuổi, phổ cập tiểu học và xóa mù chữ tiếp tục được duy trì bền vững."]),
        Story(category: "hoi-nghi-truc-tuyen", title: "Hội nghị truyền hình trực tuyến toàn ngành về Chương trình giáo dục phổ thông 2018",
              summary: "Hội nghị kết nối tới tất cả các điểm cầu cơ sở giáo dục trong tỉnh.",
              paragraphs: ["Hội nghị trực tuyến đánh giá kết quả thực hiện Chương trình giáo dục phổ thông 2018 được tổ chức tại điểm cầu chính của {unit} và kết nối tới các điểm cầu cơ sở.",
                           "Tài liệu hội nghị và đường dẫn tham dự được gửi qua hệ thống thư điện tử công vụ tới các đơn vị trước 3 ngày."]),
        Story(category: "chi-dao-dieu-hanh", title: "Triển khai học bạ số cấp trung học phổ thông",
              summary: "Học bạ số được áp dụng cho học sinh lớp 10 từ năm học 2026–2027.",
              paragraphs: ["Thực hiện hướng dẫn của Bộ Giáo dục và Đào tạo, {unit} chỉ đạo các trường triển khai học bạ số đối với học sinh lớp 10 từ năm học 2026–2027.",
                           "Hiệu trưởng chịu trách nhiệm ký số học bạ; dữ liệu học bạ được lưu trữ và bảo vệ theo quy định về bảo vệ dữ liệu cá nhân."]),
        Story(category: "thong-bao", title: "Thông báo tuyển dụng viên chức giáo dục năm 2026",
              summary: "Chỉ tiêu tuyển dụng giáo viên các cấp học, nhận hồ sơ trực tuyến.",
              paragraphs: ["{unit} thông báo tuyển dụng viên chức giáo dục năm 2026 với các vị trí giáo viên mầm non, tiểu học, trung học cơ sở và trung học phổ thông.",
                           "Thí sinh nộp phiếu đăng ký dự tuyển trực tuyến trên cổng thông tin điện tử; thời gian nhận phiếu 30 ngày kể từ ngày thông báo."]),
        Story(category: "tin-tuc-su-kien", title: "Ngày hội đọc sách trong trường học năm 2026",
              summary: "Hơn 30.000 đầu sách được trao đổi, tặng thư viện các trường vùng khó khăn.",
              paragraphs: ["Hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam, các trường tổ chức ngày hội đọc sách với nhiều hoạt động: giới thiệu sách, thi kể chuyện, trao đổi sách cũ.",
                           "{unit} khen thưởng các thư viện trường học tiêu biểu trong xây dựng văn hóa đọc."]),
        Story(category: "chi-dao-dieu-hanh", title: "Bảo đảm an toàn trường học trong mùa mưa bão",
              summary: "Kiểm tra cơ sở vật chất, chủ động phương án cho học sinh nghỉ học khi cần.",
              paragraphs: ["Trước diễn biến phức tạp của thời tiết, {unit} yêu cầu các đơn vị kiểm tra, gia cố phòng học, cắt tỉa cây xanh và chủ động phương án cho học sinh nghỉ học khi có bão lớn.",
                           "Các trường báo cáo thiệt hại (nếu có) qua thư điện tử công vụ trong ngày."]),
        Story(category: "thong-bao", title: "Lịch tiếp công dân năm 2027",
              summary: "Lãnh đạo tiếp công dân định kỳ vào ngày thứ Năm tuần thứ hai hằng tháng.",
              paragraphs: ["{unit} thông báo lịch tiếp công dân năm 2027: lãnh đạo đơn vị tiếp công dân định kỳ vào sáng thứ Năm tuần thứ hai hằng tháng tại trụ sở.",
                           "Công dân có thể gửi kiến nghị qua trang Liên hệ của cổng thông tin điện tử."]),
    ]

    static let schoolStories: [Story] = [
        Story(category: "tin-tuc-su-kien", title: "Lễ khai giảng năm học 2026–2027",
              summary: "Thầy và trò {unit} hân hoan chào đón năm học mới.",
              paragraphs: ["Sáng ngày 5 tháng 9, {unit} long trọng tổ chức lễ khai giảng năm học 2026–2027 với sự tham dự của đại diện chính quyền địa phương, Ban đại diện cha mẹ học sinh và toàn thể giáo viên, học sinh.",
                           "{head} đọc thư của Chủ tịch nước gửi ngành giáo dục và đánh trống khai trường. Năm học này nhà trường đặt mục tiêu nâng cao chất lượng giáo dục toàn diện, bảo đảm an toàn cho học sinh."]),
        Story(category: "thong-bao", title: "Thông báo họp cha mẹ học sinh đầu năm học",
              summary: "Các lớp họp cha mẹ học sinh vào sáng Chủ nhật tuần thứ ba của tháng 9.",
              paragraphs: ["{unit} trân trọng kính mời cha mẹ học sinh dự họp đầu năm học vào 7 giờ 30 sáng Chủ nhật tuần thứ ba của tháng 9 tại các phòng học.",
                           "Nội dung: thông báo kế hoạch năm học, các khoản thu theo quy định, bầu Ban đại diện cha mẹ học sinh lớp."]),
        Story(category: "hoat-dong-doan-doi", title: "Hội thi văn nghệ chào mừng Ngày Nhà giáo Việt Nam 20/11",
              summary: "Hơn 20 tiết mục đặc sắc do học sinh các lớp dàn dựng.",
              paragraphs: ["Chào mừng kỷ niệm Ngày Nhà giáo Việt Nam 20/11, Liên đội và Đoàn trường {unit} tổ chức hội thi văn nghệ với chủ đề “Tri ân thầy cô”.",
                           "Ban tổ chức trao giải Nhất cho tiết mục múa, giải Nhì cho tiết mục hát múa phụ họa và nhiều giải khuyến khích."]),
        Story(category: "tu-van-huong-nghiep", title: "Tư vấn tuyển sinh và hướng nghiệp cho học sinh cuối cấp",
              summary: "Chuyên gia và cựu học sinh chia sẻ kinh nghiệm chọn trường, chọn nghề.",
              paragraphs: ["{unit} tổ chức buổi tư vấn tuyển sinh, hướng nghiệp cho học sinh cuối cấp với sự tham gia của các trường đại học, cao đẳng và doanh nghiệp trên địa bàn.",
                           "Học sinh được giới thiệu các phương thức tuyển sinh, học bổng và nhu cầu nhân lực của địa phương; cha mẹ học sinh cũng được mời tham dự."]),
        Story(category: "kiem-dinh-chat-luong", title: "Tự đánh giá chất lượng giáo dục năm 2026",
              summary: "Nhà trường hoàn thành báo cáo tự đánh giá theo bộ tiêu chuẩn của Bộ Giáo dục và Đào tạo.",
              paragraphs: ["Hội đồng tự đánh giá {unit} đã hoàn thành báo cáo tự đánh giá chất lượng giáo dục năm 2026, đánh giá 5 tiêu chuẩn với các minh chứng đầy đủ.",
                           "Nhà trường đề nghị đánh giá ngoài để được công nhận đạt kiểm định chất lượng giáo dục cấp độ 2."]),
        Story(category: "tin-tuc-su-kien", title: "Giáo dục kỹ năng phòng tránh tai nạn thương tích cho học sinh",
              summary: "Học sinh thực hành sơ cứu, thoát hiểm khi có cháy.",
              paragraphs: ["{unit} phối hợp với lực lượng phòng cháy chữa cháy tổ chức buổi ngoại khóa giáo dục kỹ năng phòng tránh tai nạn thương tích.",
                           "Học sinh được thực hành sơ cứu ban đầu, sử dụng bình chữa cháy và thoát hiểm an toàn."]),
        Story(category: "tin-tuc-su-kien", title: "Học sinh tham gia ngày hội trải nghiệm sáng tạo",
              summary: "Các em giới thiệu sản phẩm khoa học, kỹ thuật tự làm.",
              paragraphs: ["Ngày hội trải nghiệm sáng tạo của {unit} thu hút đông đảo học sinh tham gia với các gian trưng bày sản phẩm khoa học, kỹ thuật, mô hình tái chế.",
                           "Nhiều sản phẩm được chọn tham dự cuộc thi khoa học kỹ thuật cấp trên."]),
    ]

    struct Paper {
        let docType: String
        let code: String
        let field: String
        let summary: String
    }

    static let agencyPapers: [Paper] = [
        Paper(docType: "Quyết định", code: "QĐ", field: "Văn phòng", summary: "Ban hành Kế hoạch thời gian năm học 2026–2027 đối với giáo dục mầm non, giáo dục phổ thông và giáo dục thường xuyên"),
        Paper(docType: "Công văn", code: "", field: "Giáo dục trung học", summary: "Hướng dẫn thực hiện nhiệm vụ giáo dục trung học năm học 2026–2027"),
        Paper(docType: "Kế hoạch", code: "KH", field: "Khảo thí và kiểm định", summary: "Tổ chức kỳ thi tuyển sinh vào lớp 10 trung học phổ thông năm học 2026–2027"),
        Paper(docType: "Thông báo", code: "TB", field: "Văn phòng", summary: "Kết luận của lãnh đạo tại hội nghị giao ban tháng 10 năm 2026"),
        Paper(docType: "Hướng dẫn", code: "HD", field: "Khảo thí và kiểm định", summary: "Thực hiện công tác kiểm định chất lượng giáo dục và công nhận đạt chuẩn quốc gia năm 2026"),
        Paper(docType: "Quyết định", code: "QĐ", field: "Thi đua - Khen thưởng", summary: "Công nhận kết quả kỳ thi chọn học sinh giỏi năm học 2025–2026"),
        Paper(docType: "Công văn", code: "", field: "Văn phòng", summary: "Tăng cường bảo đảm an toàn thực phẩm trong trường học"),
        Paper(docType: "Kế hoạch", code: "KH", field: "Công nghệ thông tin", summary: "Chuyển đổi số ngành giáo dục giai đoạn 2026–2030"),
        Paper(docType: "Báo cáo", code: "BC", field: "Kế hoạch - Tài chính", summary: "Tổng kết năm học 2025–2026 và phương hướng nhiệm vụ năm học 2026–2027"),
        Paper(docType: "Quyết định", code: "QĐ", field: "Công nghệ thông tin", summary: "Ban hành Quy chế quản lý, vận hành và cung cấp thông tin trên Cổng thông tin điện tử"),
        Paper(docType: "Kế hoạch", code: "KH", field: "Công nghệ thông tin", summary: "Duy trì, bảo trì và nâng cấp hệ thống thư điện tử và cổng thông tin điện tử năm 2027"),
        Paper(docType: "Công văn", code: "", field: "Pháp chế", summary: "Hướng dẫn thực hiện công khai theo Thông tư số 09/2024/TT-BGDĐT"),
        Paper(docType: "Chỉ thị", code: "CT", field: "Chính trị tư tưởng", summary: "Về nhiệm vụ trọng tâm năm học 2026–2027"),
        Paper(docType: "Thông báo", code: "TB", field: "Thanh tra", summary: "Lịch tiếp công dân năm 2027"),
    ]

    static let schoolPapers: [Paper] = [
        Paper(docType: "Kế hoạch", code: "KH", field: "Văn phòng", summary: "Kế hoạch giáo dục nhà trường năm học 2026–2027"),
        Paper(docType: "Quyết định", code: "QĐ", field: "Tổ chức cán bộ", summary: "Thành lập các tổ chuyên môn và bổ nhiệm tổ trưởng năm học 2026–2027"),
        Paper(docType: "Quy chế", code: "QC", field: "Văn phòng", summary: "Quy chế chi tiêu nội bộ năm 2026"),
        Paper(docType: "Thông báo", code: "TB", field: "Văn phòng", summary: "Công khai cam kết chất lượng giáo dục năm học 2026–2027"),
    ]

    /// Creates the content of one unit. `index` varies dates and numbers between units.
    static func create(for unit: OrgUnit, admin: User, index: Int, on db: any Database) async throws {
        let unitID = try unit.requireID()
        let categories = Dictionary(uniqueKeysWithValues: try await Category.list(unitID: unitID, on: db).map { ($0.slug, $0) })
        let agency = unit.type.isManagementAgency
        let stories = (agency ? agencyStories : schoolStories).filter { categories[$0.category] != nil }
        let head = [unit.headTitle, unit.headName].filter { !$0.isEmpty }.joined(separator: " ")
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{unit}", with: unit.name).replacingOccurrences(of: "{head}", with: head.isEmpty ? "Lãnh đạo đơn vị" : head)
        }
        let now = Date()
        for (position, story) in stories.enumerated() {
            guard let category = categories[story.category] else { continue }
            let article = Article()
            article.unitID = unitID
            article.categoryID = try category.requireID()
            article.title = story.title
            article.slug = try await Article.uniqueSlug(for: story.title, unitID: unitID, on: db)
            article.summary = fill(story.summary)
            article.bodyHTML = HTMLSanitizer.sanitize(story.paragraphs.map { "<p>\(Escape.html(fill($0)))</p>" }.joined())
            article.authorName = admin.fullName
            article.source = position % 4 == 3 ? "Báo Giáo dục và Thời đại" : ""
            article.tags = agency ? "giáo dục, năm học 2026–2027" : "nhà trường, học sinh"
            article.gallery = ""
            article.searchText = ContentService.searchText(.init(article))
            // The last two stay in the workflow: one waiting for review, one draft.
            let remaining = stories.count - position
            article.state = remaining == 1 ? .nhap : remaining == 2 ? .choDuyet : .daDang
            article.createdBy = try admin.requireID()
            article.reviewComment = ""
            article.revision = 1
            let published = now.addingTimeInterval(-Double(position * 6 + index) * 86_400 - 3600)
            article.publishedAt = article.state == .daDang ? published : nil
            try await article.create(on: db)
            try await ArticleRevision(article: article, unitID: unitID, savedBy: admin, note: "Dữ liệu mẫu").create(on: db)
        }

        let papers = agency ? agencyPapers : schoolPapers
        let suffix = documentSuffix(for: unit)
        var previous: LegalDocument?
        for (position, paper) in papers.enumerated() {
            let document = LegalDocument()
            document.unitID = unitID
            let number = 100 + (position * 37 + index * 11) % 900
            document.number = paper.code.isEmpty ? "\(number)/\(suffix)-\(paper.field == "Giáo dục trung học" ? "GDTrH" : "VP")" : "\(number)/\(paper.code)-\(suffix)"
            document.docType = paper.docType
            document.issuer = unit.name
            document.signer = unit.headName
            document.issuedOn = now.addingTimeInterval(-Double(position * 9 + index * 2 + 1) * 86_400)
            document.effectiveOn = paper.docType == "Quyết định" || paper.docType == "Quy chế" ? document.issuedOn : nil
            document.field = paper.field
            document.summary = paper.summary
            document.searchText = SearchFolding.foldWords([document.number, paper.docType, unit.name, paper.summary].joined(separator: " "))
            document.state = position == papers.count - 1 && agency ? .choDuyet : .daDang
            document.createdBy = try admin.requireID()
            document.reviewComment = ""
            document.publishedAt = document.state == .daDang ? document.issuedOn : nil
            try await document.create(on: db)
            if let previous, position % 3 == 1 {
                try await DocumentRelation(documentID: try document.requireID(), relatedID: try previous.requireID()).create(on: db)
            }
            previous = document
        }

        try await createIntroduction(for: unit, on: db)
        try await SearchService.rebuild(unitID: unitID, on: db)
    }

    /// "SGDĐT" for the Sở, "PGDĐT" for a district office, the school's initials otherwise.
    static func documentSuffix(for unit: OrgUnit) -> String {
        switch unit.type {
        case .so: return "SGDĐT"
        case .phong: return "PGDĐT"
        case .xa: return "VHXH"
        default:
            let words = unit.name.replacingOccurrences(of: "Trường ", with: "").split(separator: " ")
            // "THPT Chu Văn An" → "THPTCVA": abbreviations stay whole, other words give their initial.
            let letters = words.map { word in word.allSatisfy(\.isUppercase) ? String(word) : String(word.first ?? "X").uppercased() }
            return String(letters.joined().prefix(10))
        }
    }

    static func createIntroduction(for unit: OrgUnit, on db: any Database) async throws {
        let unitID = try unit.requireID()
        let pages = try await IntroService.ensurePages(for: try await ResolvedUnit.resolve(unit, on: db), on: db)
        let agency = unit.type.isManagementAgency
        let texts: [String: String] = [
            "tong-quan": agency
                ? "<p>\(unit.name) là cơ quan chuyên môn tham mưu, giúp cấp ủy và chính quyền thực hiện chức năng quản lý nhà nước về giáo dục và đào tạo trên địa bàn.</p><p>Trụ sở: \(unit.address). Điện thoại: \(unit.phone). Thư điện tử: \(unit.email).</p>"
                : "<p>\(unit.name) là cơ sở giáo dục công lập, thực hiện Chương trình giáo dục phổ thông theo quy định của Bộ Giáo dục và Đào tạo.</p><p>Địa chỉ: \(unit.address). Điện thoại: \(unit.phone). Thư điện tử: \(unit.email).</p>",
            "chuc-nang-nhiem-vu": agency
                ? "<h2>Chức năng</h2><p>Tham mưu quản lý nhà nước về giáo dục mầm non, giáo dục phổ thông, giáo dục thường xuyên; tiêu chuẩn nhà giáo; chương trình, nội dung giáo dục; quy chế thi cử và cấp văn bằng.</p><h2>Nhiệm vụ</h2><ul><li>Trình ban hành kế hoạch phát triển giáo dục hằng năm và dài hạn.</li><li>Hướng dẫn, kiểm tra các cơ sở giáo dục thực hiện chương trình, kế hoạch năm học.</li><li>Tổ chức các kỳ thi, công nhận tốt nghiệp, cấp phát văn bằng theo thẩm quyền.</li></ul>"
                : "<h2>Nhiệm vụ</h2><ul><li>Tổ chức giảng dạy, học tập và các hoạt động giáo dục theo chương trình.</li><li>Quản lý giáo viên, nhân viên và học sinh.</li><li>Huy động, quản lý và sử dụng các nguồn lực theo quy định.</li><li>Thực hiện công khai về chất lượng giáo dục, điều kiện bảo đảm chất lượng và thu chi tài chính.</li></ul>",
            "lich-su": "<p>\(unit.name) được thành lập năm 1976 trên cơ sở sáp nhập các lớp học của địa phương. Qua gần năm mươi năm xây dựng và phát triển, nhà trường đã nhiều lần được công nhận là tập thể lao động xuất sắc.</p><p>Năm 2015 trường được công nhận đạt chuẩn quốc gia; năm 2024 đạt kiểm định chất lượng giáo dục cấp độ 2.</p>",
        ]
        for page in pages {
            guard let text = texts[page.slug] else { continue }
            page.bodyHTML = HTMLSanitizer.sanitize(text)
            page.published = true
            try await page.save(on: db)
        }

        let deputyTitle = agency ? (unit.type == .so ? "Phó Giám đốc" : "Phó Trưởng phòng") : "Phó Hiệu trưởng"
        let deputies = [("Lê Minh Đức", "Phụ trách công tác khảo thí, kiểm định chất lượng và công nghệ thông tin."),
                        ("Phạm Thị Thu Hằng", "Phụ trách chuyên môn, công tác học sinh và thi đua, khen thưởng.")]
        let domain = unit.mailDomain.isEmpty ? "edu.vn" : unit.mailDomain
        var leaders: [(String, String, String, String)] = [(unit.headName, unit.headTitle, unit.phone, "Lãnh đạo, quản lý chung mọi hoạt động của đơn vị; phụ trách công tác tổ chức cán bộ, tài chính.")]
        leaders += deputies.map { ($0.0, deputyTitle, unit.phone, $0.1) }
        for (position, leader) in leaders.enumerated() where !leader.0.isEmpty {
            let row = Leader()
            row.unitID = unitID
            row.fullName = leader.0
            row.title = leader.1
            row.phone = leader.2
            row.email = Slug.make(leader.0).replacingOccurrences(of: "-", with: "") + "@" + domain
            row.duties = leader.3
            row.position = position
            try await row.create(on: db)
        }

        let departments: [(String, String)] = agency
            ? [("Văn phòng", "Tham mưu tổng hợp, hành chính, văn thư, lưu trữ; quản lý cổng thông tin điện tử và thư điện tử."),
               ("Phòng Tổ chức cán bộ", "Tham mưu về tổ chức bộ máy, biên chế, tuyển dụng, đào tạo, bồi dưỡng nhà giáo và cán bộ quản lý."),
               ("Phòng Giáo dục Mầm non - Tiểu học", "Hướng dẫn, kiểm tra chuyên môn giáo dục mầm non và tiểu học."),
               ("Phòng Giáo dục Trung học", "Hướng dẫn, kiểm tra chuyên môn giáo dục trung học cơ sở và trung học phổ thông."),
               ("Phòng Khảo thí và Quản lý chất lượng", "Tổ chức các kỳ thi; kiểm định chất lượng giáo dục; quản lý văn bằng, chứng chỉ."),
               ("Phòng Kế hoạch - Tài chính", "Tham mưu kế hoạch phát triển giáo dục, ngân sách, cơ sở vật chất và thiết bị dạy học.")]
            : [("Tổ Toán - Tin", "Giảng dạy Toán và Tin học; bồi dưỡng học sinh giỏi; sinh hoạt chuyên môn theo nghiên cứu bài học."),
               ("Tổ Ngữ văn - Lịch sử", "Giảng dạy Ngữ văn, Lịch sử; tổ chức các hoạt động đọc sách, câu lạc bộ văn học."),
               ("Tổ Ngoại ngữ", "Giảng dạy Tiếng Anh; tổ chức câu lạc bộ tiếng Anh."),
               ("Tổ Văn phòng", "Văn thư, kế toán, thủ quỹ, thư viện, thiết bị, y tế trường học.")]
        for (position, department) in departments.enumerated() {
            let row = Department()
            row.unitID = unitID
            row.name = department.0
            row.functions = department.1
            row.headName = ""
            row.phone = unit.phone
            row.email = ""
            row.position = position
            try await row.create(on: db)
        }
    }
}
