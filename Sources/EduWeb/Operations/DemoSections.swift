import EduCore
import EduData
import Foundation
import Vapor

/// The demo's other information (A8.14, Article 10) at every unit, through the service an editor
/// uses: conferences and online classes (upcoming and past), the unit's Party cell, trade union
/// and youth organisations, its spokesperson and releases, and scholarships (one still open, one
/// past its deadline). Everything is published except one release at the Sở, left as a draft.
enum DemoSections {
    /// People who lead the organisations, picked by the unit's position so units differ.
    static let people = ["Nguyễn Văn Thành", "Trần Thị Thu Hương", "Lê Minh Đức", "Phạm Thị Lan Anh", "Hoàng Văn Quý", "Vũ Thị Hồng Nhung",
                         "Đặng Quốc Bảo", "Bùi Thị Thanh Hà", "Đỗ Văn Long", "Ngô Thị Kim Dung", "Trịnh Văn Hải", "Mai Thị Phương Thảo",
                         "Đinh Công Sơn", "Lương Thị Ngọc Mai", "Tạ Văn Tùng", "Cao Thị Minh Nguyệt"]

    static func entries(for unit: OrgUnit, index: Int, now: Date) -> [(InfoSection.Key, [String: String], publish: Bool)] {
        func day(_ days: Double) -> String { VietnameseDate.day(now.addingTimeInterval(days * 86_400)) }
        func at(_ days: Double, _ time: String) -> String { day(days) + " " + time }
        func person(_ offset: Int) -> String { people[(index * 3 + offset) % people.count] }
        let agency = unit.type.isManagementAgency
        let pupils = unit.type == .mamNon ? "trẻ" : "học sinh"
        var list: [(InfoSection.Key, [String: String], publish: Bool)] = []

        // Conferences and online learning.
        if unit.type == .so {
            list.append((.online, ["kind": "hoi-nghi-bo", "title": "Hội nghị trực tuyến toàn quốc tổng kết năm học 2025–2026, triển khai nhiệm vụ năm học 2026–2027",
                                   "organiser": "Bộ Giáo dục và Đào tạo", "startsAt": at(6, "08:00"), "endsAt": at(6, "11:30"),
                                   "place": "Điểm cầu chính tại Bộ GD&ĐT; điểm cầu Sở GD&ĐT Ninh Bình: phòng họp tầng 3, số 2 đường Lê Hồng Phong",
                                   "audience": "Lãnh đạo Sở, trưởng các phòng chuyên môn, hiệu trưởng các trường THPT",
                                   "link": "https://moet.gov.vn/truc-tuyen/hoi-nghi-tong-ket-nam-hoc",
                                   "summary": "Bộ trưởng chủ trì hội nghị; các điểm cầu kết nối trước 07:30 để kiểm tra đường truyền."], true))
            list.append((.online, ["kind": "hoi-nghi", "title": "Hội nghị trực tuyến tập huấn thi tốt nghiệp THPT năm 2026",
                                   "organiser": unit.name, "startsAt": at(-40, "14:00"), "endsAt": at(-40, "16:30"),
                                   "place": "Điểm cầu Sở và các trường THPT, trung tâm GDNN - GDTX", "audience": "Phó hiệu trưởng, thư ký hội đồng thi",
                                   "secondLink": "https://elearning.ninhbinh.edu.vn/ban-ghi/tap-huan-thi-tot-nghiep-2026",
                                   "summary": "Quy chế thi, quy trình coi thi, chấm thi và nhập điểm trên hệ thống quản lý thi."], true))
        } else if agency {
            list.append((.online, ["kind": "hoi-nghi", "title": "Hội nghị trực tuyến sơ kết học kỳ I năm học 2026–2027 với các trường trên địa bàn xã",
                                   "organiser": unit.name, "startsAt": at(12, "08:00"), "endsAt": at(12, "10:30"),
                                   "place": "Điểm cầu Phòng và điểm cầu của từng trường", "audience": "Hiệu trưởng, phó hiệu trưởng các trường",
                                   "link": "https://meet.ninhbinh.edu.vn/\(unit.code)/so-ket-hk1",
                                   "summary": "Các trường báo cáo kết quả học kỳ I; Phòng triển khai nhiệm vụ học kỳ II."], true))
        }
        if !agency {
            let lesson = unit.type == .mamNon
                ? ["kind": "hop-ao", "title": "Họp phụ huynh trực tuyến đầu năm học 2026–2027", "audience": "Cha mẹ trẻ các lớp",
                   "summary": "Nhà trường thông báo kế hoạch chăm sóc, giáo dục trẻ và các khoản thu; phụ huynh hỏi trực tiếp trong buổi họp."]
                : ["kind": "hoc-truc-tuyen", "title": "Lớp ôn tập trực tuyến buổi tối cho \(pupils) cuối cấp", "audience": "Học sinh các lớp cuối cấp",
                   "summary": "Giáo viên bộ môn ôn tập theo chủ đề; \(pupils) tham gia bằng tài khoản do nhà trường cấp."]
            list.append((.online, lesson.merging(["organiser": unit.name, "startsAt": at(3, "19:30"), "endsAt": at(3, "21:00"),
                                                 "link": "https://meet.ninhbinh.edu.vn/\(unit.code)/truc-tuyen"]) { $1 }, true))
            list.append((.online, ["kind": "hoi-nghi", "title": "Hội nghị cán bộ, viên chức, người lao động năm học 2026–2027 (kết hợp trực tuyến)",
                                   "organiser": unit.name, "startsAt": at(-75, "07:30"), "endsAt": at(-75, "11:00"),
                                   "place": "Hội trường nhà trường và phòng họp trực tuyến", "audience": "Toàn thể cán bộ, giáo viên, nhân viên",
                                   "secondLink": "https://meet.ninhbinh.edu.vn/\(unit.code)/ban-ghi/hoi-nghi-vien-chuc",
                                   "summary": "Thông qua kế hoạch năm học, quy chế chi tiêu nội bộ và quy chế dân chủ cơ sở."], true))
        }

        // Party and union organisations.
        let domain = unit.mailDomain
        list.append((.organisations, ["kind": "dang", "title": agency ? "Đảng bộ \(unit.name)" : "Chi bộ \(unit.name)", "person": unit.headName,
                                      "personTitle": agency ? "Bí thư Đảng bộ" : "Bí thư Chi bộ", "phone": unit.phone, "email": "chibo@\(domain)",
                                      "audience": "\(18 + index * 2) đảng viên",
                                      "summary": "Lãnh đạo thực hiện nhiệm vụ chính trị của đơn vị; sinh hoạt chi bộ định kỳ ngày mùng 5 hằng tháng."], true))
        list.append((.organisations, ["kind": "cong-doan", "title": "Công đoàn \(unit.name)", "person": person(0), "personTitle": "Chủ tịch Công đoàn",
                                      "email": "congdoan@\(domain)", "audience": "\(30 + index * 3) đoàn viên",
                                      "summary": "Chăm lo đời sống, bảo vệ quyền lợi của người lao động; tổ chức phong trào thi đua \"Dạy tốt, học tốt\"."], true))
        if [.thpt, .lienCap, .gdtx, .so].contains(unit.type) {
            list.append((.organisations, ["kind": "doan-thanh-nien", "title": unit.type == .so ? "Chi đoàn \(unit.name)" : "Đoàn trường \(unit.name)",
                                          "person": person(1), "personTitle": unit.type == .so ? "Bí thư Chi đoàn" : "Bí thư Đoàn trường",
                                          "email": "doanthanhnien@\(domain)",
                                          "summary": "Tổ chức hoạt động tình nguyện, phong trào \"Thanh niên tiên phong\" và các câu lạc bộ học thuật."], true))
        }
        if [.tieuHoc, .thcs, .lienCap].contains(unit.type) {
            list.append((.organisations, ["kind": "doi-thieu-nien", "title": "Liên đội \(unit.name)", "person": person(2),
                                          "personTitle": "Tổng phụ trách Đội", "phone": unit.phone,
                                          "summary": "Sinh hoạt Đội, Sao Nhi đồng; phong trào \"Kế hoạch nhỏ\" và \"Nuôi heo đất\" giúp bạn khó khăn."], true))
        }

        // The spokesperson and releases.
        list.append((.press, ["kind": "nguoi-phat-ngon", "title": unit.headName, "personTitle": "\(unit.headTitle), người phát ngôn",
                              "phone": unit.phone, "email": unit.email,
                              "summary": "Phát ngôn và cung cấp thông tin cho báo chí theo Nghị định 09/2017/NĐ-CP."], true))
        if unit.type == .so {
            list.append((.press, ["kind": "thong-cao", "title": "Thông cáo báo chí về kết quả kỳ thi tuyển sinh vào lớp 10 THPT năm học 2026–2027",
                                  "startsAt": day(-120), "link": "https://ninhbinh.edu.vn/thong-cao/ket-qua-tuyen-sinh-lop-10",
                                  "summary": "Kỳ thi diễn ra an toàn, nghiêm túc; điểm thi được công bố trên cổng thông tin của Sở và tra cứu theo số báo danh."], true))
            list.append((.press, ["kind": "phong-van", "title": "Trả lời phỏng vấn về việc dạy thêm, học thêm", "startsAt": day(-20),
                                  "organiser": "Báo Ninh Bình", "link": "https://baoninhbinh.org.vn/tra-loi-phong-van-day-them",
                                  "summary": "Lãnh đạo Sở trả lời về dự thảo quy định dạy thêm, học thêm và việc lấy ý kiến nhân dân."], true))
            list.append((.press, ["kind": "phat-ngon", "title": "Phát ngôn về thông tin sai sự thật liên quan đến đề kiểm tra học kỳ I",
                                  "startsAt": day(-1), "summary": "Dự thảo phát ngôn, chờ lãnh đạo Sở duyệt."], false))
        } else {
            list.append((.press, ["kind": "thong-cao", "title": "Thông báo kết quả \(agency ? "công tác giáo dục" : "năm học") 2025–2026",
                                  "startsAt": day(-110),
                                  "summary": "\(unit.name) công bố kết quả thực hiện nhiệm vụ năm học 2025–2026 và phương hướng năm học mới."], true))
        }

        // Scholarships, support and careers advice.
        if unit.type != .mamNon {
            if unit.type == .so {
                list.append((.support, ["kind": "hoc-bong", "title": "Giải thưởng, học bổng Vừ A Dính năm 2026", "organiser": "Quỹ Hỗ trợ Phát triển Giáo dục Vừ A Dính",
                                        "audience": "Học sinh dân tộc thiểu số học giỏi, hoàn cảnh khó khăn", "amount": "5.000.000 đồng/suất",
                                        "endsAt": day(25), "phone": unit.phone, "link": "https://vuadinh.vn/hoc-bong",
                                        "summary": "Trường lập danh sách và hồ sơ (đơn, học bạ, xác nhận hoàn cảnh) gửi Sở trước hạn."], true))
                list.append((.support, ["kind": "tin-dung", "title": "Tín dụng đối với học sinh, sinh viên", "organiser": "Ngân hàng Chính sách xã hội",
                                        "audience": "Học sinh, sinh viên có hoàn cảnh khó khăn", "amount": "Tối đa 4.000.000 đồng/tháng",
                                        "link": "https://vbsp.org.vn/tin-dung-hssv",
                                        "summary": "Hộ gia đình vay qua tổ tiết kiệm và vay vốn ở thôn, xóm; hồ sơ gồm giấy xác nhận của nhà trường."], true))
                list.append((.support, ["kind": "hoc-bong", "title": "Học bổng Sáng tạo Nguyễn Văn Hưởng năm 2026", "organiser": "Quỹ khuyến học tỉnh Ninh Bình",
                                        "audience": "Học sinh THPT có sản phẩm khoa học kỹ thuật", "amount": "3.000.000 đồng/suất", "endsAt": day(-30),
                                        "summary": "Xét theo kết quả cuộc thi khoa học kỹ thuật cấp tỉnh."], true))
            } else {
                list.append((.support, ["kind": "hoc-bong", "title": "Học bổng khuyến học \(unit.name) năm học 2026–2027",
                                        "organiser": agency ? "Hội Khuyến học xã" : "Quỹ khuyến học nhà trường", "audience": "Học sinh vượt khó học tốt",
                                        "amount": "1.000.000 đồng/suất", "endsAt": day(20), "phone": unit.phone,
                                        "summary": "Giáo viên chủ nhiệm đề cử; hồ sơ gồm đơn và xác nhận hoàn cảnh gia đình."], true))
                if [.thcs, .thpt, .lienCap, .gdtx].contains(unit.type) {
                    list.append((.support, ["kind": "huong-nghiep", "title": "Ngày hội tư vấn hướng nghiệp, tuyển sinh", "organiser": unit.name,
                                            "audience": "Học sinh lớp cuối cấp và cha mẹ học sinh", "endsAt": day(-15),
                                            "summary": "Các trường đại học, cao đẳng và doanh nghiệp tư vấn ngành nghề, phương thức xét tuyển."], true))
                }
            }
        }
        return list
    }

    static func create(units: [String: OrgUnit], app: Application) async throws {
        let now = Date()
        let actor = AuditActor.cli("demo")
        for (index, code) in units.keys.sorted().enumerated() {
            // The district office merged in the reform has its own record only up to then: nothing here.
            guard let row = units[code], code != DemoProvince.reform.office else { continue }
            let unit = try await row.resolved(on: app.db)
            let carried = Set(InfoSection.forType(unit.type).map(\.key))
            for (key, form, publish) in entries(for: row, index: index, now: now) where carried.contains(key) {
                let section = InfoSection.section(key)
                let entry = try await SectionEntryService.save(.init(form: form, section: section), section: section, existing: nil, unit: unit,
                                                               mayPublish: true, by: actor, who: "demo", now: now, on: app.db)
                if publish { try await Publishing.set(entry, true, unit: unit, by: actor, now: now, on: app.db) }
            }
        }
    }
}
