import EduCore
import EduData
import Fluent
import Foundation
import SQLKit
import Vapor

/// Search at scale for `bench/search.sh` (#19 point 3): one unit filled with `items` published
/// articles and documents of Vietnamese text, and `units` schools below the Sở with `perUnit`
/// each, written in batches (one multi-row insert per model and batch) with their search entries.
/// Everything is deterministic (ids, slugs, dates, words from a seeded generator), so the same
/// command gives the same data on SQLite and PostgreSQL and the two can be compared query by query.
public enum BenchSearchData {
    /// Words people look for often come first (drawn more often); the generator's rare phrases
    /// appear once in thousands of items.
    static let phrases = [
        "học sinh", "giáo viên", "nhà trường", "năm học", "giáo dục", "đào tạo", "kế hoạch", "tổ chức", "thực hiện", "chương trình",
        "hoạt động", "kết quả", "chất lượng", "phụ huynh", "cán bộ quản lý", "sở giáo dục", "học kỳ", "kiểm tra", "đánh giá", "tuyển sinh",
        "lớp 10", "trung học phổ thông", "trung học cơ sở", "tiểu học", "mầm non", "học sinh giỏi", "thi tốt nghiệp", "chuyển đổi số",
        "công nghệ thông tin", "bồi dưỡng", "chuyên môn", "nghiệp vụ", "hội nghị", "tổng kết", "triển khai", "nhiệm vụ", "trọng tâm",
        "phong trào", "thi đua", "khen thưởng", "an toàn trường học", "phòng chống", "dịch bệnh", "y tế học đường", "bán trú", "thư viện",
        "sách giáo khoa", "thiết bị dạy học", "cơ sở vật chất", "phòng học", "xây dựng", "sửa chữa", "kinh phí", "ngân sách", "học phí",
        "miễn giảm", "hỗ trợ", "học bổng", "hoàn cảnh khó khăn", "vùng cao", "dân tộc thiểu số", "tiếng Anh", "ngoại ngữ", "tin học",
        "giáo dục thể chất", "văn nghệ", "trải nghiệm", "hướng nghiệp", "kỹ năng sống", "đoàn thanh niên", "đội thiếu niên", "công đoàn",
        "chi bộ", "nghị quyết", "chỉ thị", "quyết định", "công văn", "thông báo", "hướng dẫn", "quy chế", "báo cáo", "tập huấn",
        "hội thảo", "chuyên đề", "sáng kiến", "nghiên cứu khoa học", "kỹ thuật", "STEM", "robot", "an toàn giao thông", "phòng cháy",
        "bão lũ", "khai giảng", "bế giảng", "ngày nhà giáo", "tri ân", "thầy cô", "tình nguyện", "môi trường", "cây xanh", "bơi lội",
        "đuối nước", "bạo lực học đường", "tư vấn tâm lý", "sức khỏe", "dinh dưỡng", "bữa ăn", "sữa học đường", "xe đưa đón", "kiểm định",
        "phổ cập", "xóa mù chữ", "chuẩn quốc gia", "tự đánh giá", "đánh giá ngoài", "công khai", "minh bạch", "cải cách hành chính",
    ]
    static let places = [
        "Hoa Lư", "Tam Điệp", "Nho Quan", "Gia Viễn", "Yên Khánh", "Yên Mô", "Kim Sơn", "Phát Diệm", "Ninh Hải", "Trường Yên",
        "Gia Sinh", "Ninh Giang", "Khánh Hòa", "Yên Phong", "Bình Minh", "Đông Sơn", "Nam Bình", "Ninh Phong", "Thanh Bình", "Vân Giang",
    ]
    /// Rare on purpose: what a rare query finds.
    static let rareOne = "xã Quỳnh Nhai"
    static let rareThree = "mô hình trồng rau thủy canh"

    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        mutating func below(_ limit: Int) -> Int { Int(next() % UInt64(limit)) }
        /// Skewed towards the start of the list (a Zipf-like choice).
        mutating func phrase() -> String {
            let x = Double(next() % 1_000_000) / 1_000_000
            return phrases[min(phrases.count - 1, Int(pow(x, 2.2) * Double(phrases.count)))]
        }
        mutating func sentence(_ words: Int) -> String {
            var out: [String] = []
            var count = 0
            while count < words {
                let piece = below(6) == 0 ? places[below(places.count)] : phrase()
                out.append(piece)
                count += piece.split(separator: " ").count
            }
            let text = out.joined(separator: " ")
            return text.prefix(1).uppercased() + text.dropFirst()
        }
    }

    static func uuid(_ unit: Int, _ item: Int, _ kind: UInt8) -> UUID {
        UUID(uuidString: String(format: "%08x-0000-4000-8%03x-%012x", unit, Int(kind), item))!
    }

    public struct Report: Sendable {
        public let units: Int
        public let items: Int
        public let seconds: Double
    }

    /// Fills `unitCode` with `items` items and creates `units` schools below it with `perUnit` each.
    public static func fill(app: Application, unitCode: String, items: Int, units: Int, perUnit: Int,
                            progress: @Sendable (Int) -> Void = { _ in }) async throws -> Report {
        let started = Date()
        guard let root = try await OrgUnit.query(on: app.db).filter(\.$code == unitCode).first() else {
            throw OperationFailure("Không có đơn vị mã «\(unitCode)».")
        }
        guard let author = try await User.query(on: app.db).first() else { throw OperationFailure("Chưa có tài khoản nào.") }
        var targets: [(OrgUnit, Int)] = [(root, items)]
        for number in 1...max(1, units) where units > 0 {
            let code = String(format: "bench-thpt-%03d", number)
            if let existing = try await OrgUnit.query(on: app.db).filter(\.$code == code).first() {
                targets.append((existing, perUnit))
                continue
            }
            var input = UnitService.Input()
            input.code = code
            input.type = UnitType.thpt.rawValue
            input.name = "Trường THPT \(places[number % places.count]) số \(number)"
            input.hostnames = [code + ".localhost"]
            input.mailDomain = code + ".edu.vn"
            input.email = "vanthu@\(code).edu.vn"
            let unit = try await UnitService.create(input, parent: root, on: app.db)
            targets.append((unit, perUnit))
        }
        var written = 0
        // Rank keys are unique (the FTS5 rowid on SQLite); the demo's own entries are older.
        var taken = Set<Int64>()
        let base = Date(timeIntervalSince1970: 1_793_491_200)  // 2026-11-01
        for (unitIndex, (unit, count)) in targets.enumerated() {
            let unitID = try unit.requireID()
            guard let category = try await Category.find(unitID: unitID, slug: "tin-tuc-su-kien", on: app.db) else { continue }
            var generator = Generator(state: UInt64(unitIndex + 1) &* 0x9E37_79B9_7F4A_7C15)
            var item = 0
            while item < count {
                let batch = min(500, count - item)
                var articles: [Article] = []
                var documents: [LegalDocument] = []
                var entries: [SearchEntry] = []
                for offset in 0..<batch {
                    let n = item + offset
                    let published = base.addingTimeInterval(-Double(n) * 900)
                    var title = generator.sentence(8 + generator.below(7))
                    var body = (0..<(4 + generator.below(5))).map { _ in generator.sentence(20 + generator.below(25)) + "." }
                    if n % 5_000 == 17 { title += " tại \(rareOne)" }
                    if n % 4_000 == 33 { body.append("Nhà trường triển khai \(rareThree) cho học sinh.") }
                    let summary = generator.sentence(18 + generator.below(10)) + "."
                    let entry = SearchEntry()
                    entry.id = uuid(unitIndex, n, 2)
                    entry.unitID = unitID
                    entry.publishedAt = published
                    if n % 5 == 4 {
                        let document = LegalDocument()
                        document.id = uuid(unitIndex, n, 1)
                        document.unitID = unitID
                        document.number = "\(n)/QĐ-\(unit.code.uppercased().prefix(12))"
                        document.docType = "Quyết định"
                        document.issuer = unit.name
                        document.signer = "Nguyễn Văn An"
                        document.issuedOn = published
                        document.field = "Văn phòng"
                        document.summary = title
                        document.searchText = SearchFolding.foldWords([document.number, document.docType, unit.name, title].joined(separator: " "))
                        document.state = .daDang
                        document.createdBy = try author.requireID()
                        document.reviewComment = ""
                        document.publishedAt = published
                        documents.append(document)
                        let text = [title, document.docType, unit.name, document.signer, document.field].joined(separator: " ")
                        entry.kind = "document"
                        entry.itemID = try document.requireID()
                        entry.title = "Quyết định \(document.number)"
                        entry.path = SiteURL.document(id: .value(try document.requireID().uuidString.lowercased())).path
                        entry.text = text
                    } else {
                        let article = Article()
                        article.id = uuid(unitIndex, n, 0)
                        article.unitID = unitID
                        article.categoryID = try category.requireID()
                        article.slug = "bai-\(n)"
                        article.title = title
                        article.summary = summary
                        article.bodyHTML = body.map { "<p>\(Escape.html($0))</p>" }.joined()
                        article.gallery = ""
                        article.authorName = "Ban biên tập"
                        article.source = ""
                        article.tags = ""
                        article.searchText = SearchFolding.foldWords([title, summary, body.joined(separator: " ")].joined(separator: " "))
                        article.state = .daDang
                        article.createdBy = try author.requireID()
                        article.reviewComment = ""
                        article.revision = 1
                        article.publishedAt = published
                        articles.append(article)
                        entry.kind = "article"
                        entry.itemID = try article.requireID()
                        entry.title = title
                        entry.path = SiteURL.article(slug: .value(article.slug)).path
                        entry.text = String(([summary] + body).joined(separator: " ").prefix(SearchIndex.textLimit))
                    }
                    var key = SearchIndex.rankKey(publishedAt: published, id: try entry.requireID())
                    while !taken.insert(key).inserted { key += 1 }
                    entry.rankKey = key
                    entry.foldedTitle = SearchFolding.foldWords(entry.title)
                    entry.folded = SearchFolding.foldWords(entry.title + " " + entry.text)
                    entries.append(entry)
                }
                let (newArticles, newDocuments, newEntries) = (articles, documents, entries)
                try await app.db.transaction { db in
                    if !newArticles.isEmpty { try await newArticles.create(on: db) }
                    if !newDocuments.isEmpty { try await newDocuments.create(on: db) }
                    try await newEntries.create(on: db)
                    try await SearchIndex.mirror(newEntries, on: db)
                }
                item += batch
                written += batch
                progress(written)
            }
        }
        // The planner's statistics for what was just written, as autovacuum would gather them a
        // minute later: without them PostgreSQL expected few matches for words common together
        // and rechecked and sorted every one of them (1.0-1.5 s for «học sinh giỏi» in the Sở's
        // search instead of 48 ms; bench/search.sh measured right after the load).
        if let sql = app.db as? any SQLDatabase { try await sql.raw("ANALYZE").run() }
        return Report(units: targets.count, items: written, seconds: Date().timeIntervalSince(started))
    }
}
