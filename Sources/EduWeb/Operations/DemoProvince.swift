import EduCore
import EduData
import Fluent
import Vapor

/// The demo province as the 2025 reform left it: the Sở; two communes' offices of culture and
/// society (Phòng Văn hóa - Xã hội) with their preschools, primary and lower-secondary schools;
/// upper-secondary and inter-level schools and the centres directly under the Sở; and the former
/// district office (Phòng GD&ĐT huyện Kim Sơn), created as it was and merged on 1 July 2025 into
/// the office of the commune that took its schools over (its old hostname redirects). One admin
/// per unit, so a newcomer can log in at once (no second factor in the demo).
public enum DemoProvince {
    public static let password = "EduPortal@2026"
    public static let rootCode = "so-ninh-binh"
    public static var sampleCandidate: (sbd: String, birth: String) { (DemoExams.sample.sbd, DemoExams.sample.birth) }
    public static var sampleDiploma: (serial: String, name: String, birth: String) {
        (DemoExams.diplomaSample.serial, DemoExams.diplomaSample.name, DemoExams.diplomaSample.birth)
    }

    struct Spec {
        let code: String
        let type: UnitType
        let name: String
        let nameEn: String
        let parent: String?
        let hostnames: [String]
        let mailDomain: String
        let address: String
        let phone: String
        let headTitle: String
        let headName: String
        let admin: (email: String, name: String)
    }

    static let specs: [Spec] = [
        Spec(code: rootCode, type: .so, name: "Sở Giáo dục và Đào tạo tỉnh Ninh Bình",
             nameEn: "Ninh Binh Department of Education and Training", parent: nil,
             hostnames: ["localhost", "127.0.0.1", "so-ninh-binh.localhost"], mailDomain: "ninhbinh.edu.vn",
             address: "Số 2 đường Lê Hồng Phong, phường Hoa Lư, tỉnh Ninh Bình", phone: "0229 3871 234",
             headTitle: "Giám đốc", headName: "Nguyễn Thị Thu Hà",
             admin: ("quantri@ninhbinh.edu.vn", "Trần Văn Minh")),
        Spec(code: "phong-gddt-kim-son", type: .phong, name: "Phòng Giáo dục và Đào tạo huyện Kim Sơn",
             nameEn: "Kim Son District Office of Education and Training", parent: rootCode,
             hostnames: ["phong-gddt-kim-son.localhost"], mailDomain: "kimson.ninhbinh.edu.vn",
             address: "Số 15 đường Phát Diệm, thị trấn Phát Diệm, huyện Kim Sơn, tỉnh Ninh Bình", phone: "0229 3862 118",
             headTitle: "Trưởng phòng", headName: "Phạm Văn Hùng",
             admin: ("quantri@kimson.ninhbinh.edu.vn", "Đỗ Thị Lan")),
        Spec(code: "phong-vhxh-gia-vien", type: .xa, name: "Phòng Văn hóa - Xã hội xã Gia Viễn",
             nameEn: "Gia Vien Commune Office of Culture and Society", parent: rootCode,
             hostnames: ["phong-vhxh-gia-vien.localhost"], mailDomain: "giavien.ninhbinh.edu.vn",
             address: "Thôn Tập Ninh, xã Gia Viễn, tỉnh Ninh Bình", phone: "0229 3640 275",
             headTitle: "Trưởng phòng", headName: "Vũ Đức Thắng",
             admin: ("quantri@giavien.ninhbinh.edu.vn", "Lê Thị Ngọc Ánh")),
        Spec(code: "phong-vhxh-phat-diem", type: .xa, name: "Phòng Văn hóa - Xã hội xã Phát Diệm",
             nameEn: "Phat Diem Commune Office of Culture and Society", parent: rootCode,
             hostnames: ["phong-vhxh-phat-diem.localhost"], mailDomain: "phatdiem.ninhbinh.edu.vn",
             address: "Phố Trì Chính, xã Phát Diệm, tỉnh Ninh Bình", phone: "0229 3862 305",
             headTitle: "Trưởng phòng", headName: "Phạm Thị Ngọc Bích",
             admin: ("quantri@phatdiem.ninhbinh.edu.vn", "Trần Quốc Việt")),
        Spec(code: "thpt-chu-van-an", type: .thpt, name: "Trường THPT Chu Văn An",
             nameEn: "Chu Van An High School", parent: rootCode,
             hostnames: ["thpt-chu-van-an.localhost"], mailDomain: "thptchuvanan.ninhbinh.edu.vn",
             address: "Đường Trần Hưng Đạo, phường Đông Thành, tỉnh Ninh Bình", phone: "0229 3872 455",
             headTitle: "Hiệu trưởng", headName: "Hoàng Minh Tuấn",
             admin: ("quantri@thptchuvanan.ninhbinh.edu.vn", "Nguyễn Quang Huy")),
        Spec(code: "thpt-kim-son-a", type: .thpt, name: "Trường THPT Kim Sơn A",
             nameEn: "Kim Son A High School", parent: rootCode,
             hostnames: ["thpt-kim-son-a.localhost"], mailDomain: "thptkimsona.ninhbinh.edu.vn",
             address: "Xã Như Hòa, huyện Kim Sơn, tỉnh Ninh Bình", phone: "0229 3863 027",
             headTitle: "Hiệu trưởng", headName: "Đinh Công Khanh",
             admin: ("quantri@thptkimsona.ninhbinh.edu.vn", "Phạm Thị Hồng Nhung")),
        Spec(code: "lien-cap-hoa-lu", type: .lienCap, name: "Trường Tiểu học, THCS và THPT Hoa Lư",
             nameEn: "Hoa Lu Inter-level School", parent: rootCode,
             hostnames: ["lien-cap-hoa-lu.localhost"], mailDomain: "hoalu.ninhbinh.edu.vn",
             address: "Đường Xuân Thành, phường Tân Thành, tỉnh Ninh Bình", phone: "0229 3898 668",
             headTitle: "Hiệu trưởng", headName: "Trịnh Thị Mai Phương",
             admin: ("quantri@hoalu.ninhbinh.edu.vn", "Bùi Văn Toàn")),
        Spec(code: "gdtx-ninh-binh", type: .gdtx, name: "Trung tâm GDNN - GDTX tỉnh Ninh Bình",
             nameEn: "Ninh Binh Vocational and Continuing Education Centre", parent: rootCode,
             hostnames: ["gdtx-ninh-binh.localhost"], mailDomain: "gdtx.ninhbinh.edu.vn",
             address: "Số 88 đường Lê Thái Tổ, phường Nam Thành, tỉnh Ninh Bình", phone: "0229 3874 316",
             headTitle: "Giám đốc", headName: "Lã Văn Bình",
             admin: ("quantri@gdtx.ninhbinh.edu.vn", "Mai Thị Thanh Tâm")),
        Spec(code: "tt-ngoai-ngu-tin-hoc", type: .trungTam, name: "Trung tâm Ngoại ngữ - Tin học Ninh Bình",
             nameEn: "Ninh Binh Foreign Language and IT Centre", parent: rootCode,
             hostnames: ["tt-ngoai-ngu-tin-hoc.localhost"], mailDomain: "ttnnth.ninhbinh.edu.vn",
             address: "Số 12 đường Tràng An, phường Hoa Lư, tỉnh Ninh Bình", phone: "0229 3889 502",
             headTitle: "Giám đốc", headName: "Cao Thị Hải Yến",
             admin: ("quantri@ttnnth.ninhbinh.edu.vn", "Ninh Văn Đức")),
        Spec(code: "mn-hoa-sen-kim-son", type: .mamNon, name: "Trường Mầm non Hoa Sen",
             nameEn: "Hoa Sen Kindergarten", parent: "phong-gddt-kim-son",
             hostnames: ["mn-hoa-sen-kim-son.localhost"], mailDomain: "mnhoasen.kimson.ninhbinh.edu.vn",
             address: "Phố Trì Chính, thị trấn Phát Diệm, huyện Kim Sơn, tỉnh Ninh Bình", phone: "0229 3862 540",
             headTitle: "Hiệu trưởng", headName: "Tống Thị Hương",
             admin: ("quantri@mnhoasen.kimson.ninhbinh.edu.vn", "Phạm Thị Thu Trang")),
        Spec(code: "th-phat-diem", type: .tieuHoc, name: "Trường Tiểu học thị trấn Phát Diệm",
             nameEn: "Phat Diem Primary School", parent: "phong-gddt-kim-son",
             hostnames: ["th-phat-diem.localhost"], mailDomain: "thphatdiem.kimson.ninhbinh.edu.vn",
             address: "Phố Phú Vinh, thị trấn Phát Diệm, huyện Kim Sơn, tỉnh Ninh Bình", phone: "0229 3862 219",
             headTitle: "Hiệu trưởng", headName: "Vũ Thị Kim Oanh",
             admin: ("quantri@thphatdiem.kimson.ninhbinh.edu.vn", "Nguyễn Văn Lực")),
        Spec(code: "thcs-kim-son", type: .thcs, name: "Trường THCS Kim Sơn",
             nameEn: "Kim Son Lower Secondary School", parent: "phong-gddt-kim-son",
             hostnames: ["thcs-kim-son.localhost"], mailDomain: "thcskimson.kimson.ninhbinh.edu.vn",
             address: "Xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình", phone: "0229 3863 771",
             headTitle: "Hiệu trưởng", headName: "Trần Đình Nghĩa",
             admin: ("quantri@thcskimson.kimson.ninhbinh.edu.vn", "Đặng Thị Bích Ngọc")),
        Spec(code: "mn-gia-van", type: .mamNon, name: "Trường Mầm non Gia Vân",
             nameEn: "Gia Van Kindergarten", parent: "phong-vhxh-gia-vien",
             hostnames: ["mn-gia-van.localhost"], mailDomain: "mngiavan.giavien.ninhbinh.edu.vn",
             address: "Thôn Bích Đào, xã Gia Viễn, tỉnh Ninh Bình", phone: "0229 3641 102",
             headTitle: "Hiệu trưởng", headName: "Đinh Thị Thanh Huyền",
             admin: ("quantri@mngiavan.giavien.ninhbinh.edu.vn", "Hà Thị Phượng")),
        Spec(code: "th-gia-hoa", type: .tieuHoc, name: "Trường Tiểu học Gia Hòa",
             nameEn: "Gia Hoa Primary School", parent: "phong-vhxh-gia-vien",
             hostnames: ["th-gia-hoa.localhost"], mailDomain: "thgiahoa.giavien.ninhbinh.edu.vn",
             address: "Thôn Liên Huy, xã Gia Viễn, tỉnh Ninh Bình", phone: "0229 3641 386",
             headTitle: "Hiệu trưởng", headName: "Lương Văn Sơn",
             admin: ("quantri@thgiahoa.giavien.ninhbinh.edu.vn", "Phan Thị Hạnh")),
        Spec(code: "thcs-gia-vien", type: .thcs, name: "Trường THCS Gia Viễn",
             nameEn: "Gia Vien Lower Secondary School", parent: "phong-vhxh-gia-vien",
             hostnames: ["thcs-gia-vien.localhost"], mailDomain: "thcsgiavien.giavien.ninhbinh.edu.vn",
             address: "Thôn Me, xã Gia Viễn, tỉnh Ninh Bình", phone: "0229 3641 559",
             headTitle: "Hiệu trưởng", headName: "Nguyễn Hữu Phúc",
             admin: ("quantri@thcsgiavien.giavien.ninhbinh.edu.vn", "Trương Thị Diệu Linh")),
    ]

    public struct Created: Sendable {
        public let code: String
        public let name: String
        public let url: String
        public let adminEmail: String
        /// The unit ended in the reform: its address now redirects.
        public let note: String
    }

    /// The reform as the demo replays it: the district office's schools move to the commune's
    /// office, then the district office is merged into it.
    static let reform = (office: "phong-gddt-kim-son", into: "phong-vhxh-phat-diem",
                         schools: ["mn-hoa-sen-kim-son", "th-phat-diem", "thcs-kim-son"], on: "01/07/2025 00:00")

    /// Creates the province unless it exists; returns every demo unit with its URL and admin.
    /// `baseURL` builds the URLs (`http://HOST:8080/`).
    public static func ensure(app: Application, port: Int) async throws -> (created: Bool, units: [Created]) {
        var created = false
        if try await OrgUnit.find(code: rootCode, on: app.db) == nil {
            try await create(app: app)
            created = true
        }
        let list = specs.map { spec in
            Created(code: spec.code, name: spec.name, url: "http://\(spec.hostnames[0]):\(port)/", adminEmail: spec.admin.email,
                    note: spec.code == reform.office ? "đã sáp nhập vào Phòng Văn hóa - Xã hội xã Phát Diệm từ 01/07/2025; địa chỉ cũ chuyển hướng" : "")
        }
        return (created, list)
    }

    static func create(app: Application) async throws {
        let hasher = app.password.async
        var units: [String: OrgUnit] = [:]
        for spec in specs {
            var input = UnitService.Input()
            input.code = spec.code
            input.type = spec.type.rawValue
            input.name = spec.name
            input.nameEn = spec.nameEn
            input.hostnames = spec.hostnames
            input.mailDomain = spec.mailDomain
            input.address = spec.address
            input.phone = spec.phone
            // The official address is the mailbox the unit's clerical office reads (`DemoMail`).
            input.email = (spec.type.isManagementAgency ? "vanphong@" : "vanthu@") + spec.mailDomain
            input.headName = spec.headName
            input.headTitle = spec.headTitle
            input.portalContactName = spec.admin.name
            input.portalContactEmail = spec.admin.email
            input.portalContactPhone = spec.phone
            input.mailContactName = spec.admin.name
            input.mailContactEmail = spec.admin.email
            input.mailContactPhone = spec.phone
            let parent = spec.parent.flatMap { units[$0] }
            let unitInput = input
            let unit = try await app.db.transaction { db in
                let unit = try await UnitService.create(unitInput, parent: parent, on: db)
                try await AuditEntry.record(.cli("demo"), unitID: unit.id, action: "unit.create", target: unit.code, detail: "Dữ liệu mẫu", on: db)
                return unit
            }
            units[spec.code] = unit
            let resolved = try await ResolvedUnit.resolve(unit, on: app.db)
            let admin = try await AccountService.create(
                .init(email: spec.admin.email, fullName: spec.admin.name, position: "Cán bộ phụ trách công nghệ thông tin",
                      password: password, role: .quanTri),
                at: resolved, by: .cli("demo"), hasher: hasher, on: app.db)
            let index = units.count
            try await app.db.transaction { db in
                try await DemoContent.create(for: unit, admin: admin, index: index, on: db)
            }
            try await DemoPhotos.create(for: resolved, admin: admin, index: index, app: app)
        }
        // An editorial board at one school, so the roles can be tried out.
        if let school = try await units["thpt-chu-van-an"].asyncMap({ try await ResolvedUnit.resolve($0, on: app.db) }) {
            for (email, name, role) in [
                ("truongban@thptchuvanan.ninhbinh.edu.vn", "Lê Thị Thanh Xuân", Role.truongBanBienTap),
                ("bientap@thptchuvanan.ninhbinh.edu.vn", "Ngô Văn Khải", Role.bienTapVien),
                ("congtacvien@thptchuvanan.ninhbinh.edu.vn", "Đoàn Thị Mỹ Duyên", Role.congTacVien),
            ] {
                _ = try await AccountService.create(
                    .init(email: email, fullName: name, position: role.label, password: password, role: role),
                    at: school, by: .cli("demo"), hasher: hasher, on: app.db)
            }
        }
        // Published grade-10 results and a diploma register at the Sở.
        if let so = units[rootCode] {
            try await DemoExams.create(at: so, app: app)
            // Every unit's mail domain, a head and a clerical mailbox each, and rule-based groups.
            try await DemoMail.create(units: Array(units.values).sorted { $0.path < $1.path }, root: so, password: password, app: app)
            // The province's domain is the Sở's to hand out: every unit below may ask for a name under it.
            _ = try await NameService.delegate("ninhbinh.edu.vn", to: try await so.resolved(on: app.db), by: .cli("demo"), on: app.db)
            // Open admission plans with registrations waiting for review: the Sở's joint grade-10
            // plan with zones, and the commune office's grade-1 and grade-6 plans.
            try await DemoAdmissions.create(units: units, app: app)
            // Polls at the Sở (one open, one ended) and at a school (results only at the end).
            try await DemoPolls.create(units: units, key: app.eduConfig.serverKey ?? .random(), app: app)
            // Questions and answers: published ones at the Sở and a school, one private, one waiting.
            try await DemoQuestions.create(units: units, key: app.eduConfig.serverKey ?? .random(), app: app)
            // Consultations: an open draft with comments and a closed one with its summary at the Sở, one at a school.
            try await DemoConsultations.create(units: units, key: app.eduConfig.serverKey ?? .random(), app: app)
            // Five school years of every school's yearbook figures (one missing and one late in the latest year).
            try await DemoYearbook.create(units: units, app: app)
            // Disclosures for the previous and the current school year (one late, one missing).
            try await DemoDisclosure.create(units: units, app: app)
            // Administrative procedures at the Sở and a commune office (one a draft, one changed by a document).
            try await DemoProcedures.create(units: units, app: app)
            // Projects, tenders and purchases at the Sở (one still a draft) and a school.
            try await DemoProcurement.create(units: units, app: app)
            // Foreign-language and IT centres licensed by the Sở (one suspended, one closed).
            try await DemoCentres.create(units: units, app: app)
            // Digital libraries at the Sở, a commune office and two schools (one item waiting for review).
            try await DemoResources.create(units: units, app: app)
            // Every other unit: a consultation, an answered question and an item of its own library.
            try await DemoEveryUnit.create(units: units, key: app.eduConfig.serverKey ?? .random(), app: app)
            // Conferences, organisations, spokespeople and releases, scholarships at every unit (A8.14, Article 10).
            try await DemoSections.create(units: units, app: app)
        }
        // The 2025 reform, through the same service an admin uses: schools to the commune's office, the district office merged.
        if let office = units[reform.office], let commune = units[reform.into] {
            let effective = VietnameseDate.parse(reform.on) ?? Date()
            for code in reform.schools {
                if let school = units[code] { try await UnitChangeService.move(school, under: commune, authority: .operator, by: .cli("demo"), on: app.db) }
            }
            try await UnitChangeService.merge(office, into: commune, authority: .operator, by: .cli("demo"), now: effective,
                                              notices: PublicLinks(config: app.eduConfig, port: app.eduConfig.publicPort), on: app.db)
        }
        // Sixty days of visits at every unit.
        try await DemoVisits.create(units: units, app: app)
        // Inspection and ranking of the units below, over the province as the reform left it.
        try await DemoEvaluation.create(units: units, app: app)
    }
}
