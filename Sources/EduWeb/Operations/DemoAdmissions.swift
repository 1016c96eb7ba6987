import EduCore
import EduData
import Foundation
import Vapor

/// The demo's admissions (#13): plans open now, with registrations waiting for review, and last
/// month's supplementary plan with its results published.
enum DemoAdmissions {
    static func create(units: [String: OrgUnit], app: Application) async throws {
        guard let so = units[DemoProvince.rootCode], let commune = units["phong-vhxh-gia-vien"] else { return }
        let now = Date()
        func at(_ days: Double) -> String { VietnameseDate.dateTime(now.addingTimeInterval(days * 86_400)) }
        let actor = AuditActor.cli("demo")

        var grade10 = AdmissionService.PlanInput()
        grade10.title = "Tuyển sinh vào lớp 10 THPT công lập năm học 2027–2028"
        grade10.grade = "10"
        grade10.schoolYear = "2027–2028"
        grade10.method = AdmissionPlan.Method.ketHop.rawValue
        grade10.eligibility = "Học sinh đã tốt nghiệp THCS, trong độ tuổi theo quy định, có nơi thường trú tại tỉnh Ninh Bình."
        grade10.dossier = "Phiếu đăng ký dự tuyển (in từ cổng sau khi đăng ký);\nBản sao giấy khai sinh;\nHọc bạ THCS;\nGiấy tờ chứng minh diện ưu tiên (nếu có)."
        grade10.place = "Trường THPT nguyện vọng 1"
        grade10.priorities = "Con liệt sĩ, con thương binh\nNgười dân tộc thiểu số\nCon của người hoạt động kháng chiến bị nhiễm chất độc hóa học"
        grade10.zones = "Tuyến 1 – Hoa Lư\nTuyến 2 – Kim Sơn"
        grade10.maxChoices = "3"
        grade10.sameZoneChoices = "2"
        grade10.opensAt = at(-3)
        grade10.closesAt = at(14)
        grade10.changesCloseAt = at(21)
        grade10.resultsAt = at(45)
        grade10.resultsWithdrawnAt = at(75)
        grade10.retentionDays = "90"
        grade10.quotas = "thpt-chu-van-an; 585; Tuyến 1 – Hoa Lư\nlien-cap-hoa-lu; 135; Tuyến 1 – Hoa Lư\nthpt-kim-son-a; 540; Tuyến 2 – Kim Sơn"
        let plan10 = try await AdmissionService.createPlan(grade10, owner: try await so.resolved(on: app.db), by: actor, on: app.db)

        var grade1 = AdmissionService.PlanInput()
        grade1.title = "Tuyển sinh vào lớp 1 năm học 2027–2028"
        grade1.grade = "1"
        grade1.schoolYear = "2027–2028"
        grade1.eligibility = "Trẻ sinh năm 2021, thường trú trên địa bàn xã Gia Viễn."
        grade1.dossier = "Đơn đăng ký; bản sao giấy khai sinh."
        grade1.place = "Trường Tiểu học Gia Hòa"
        grade1.opensAt = at(-2)
        grade1.closesAt = at(10)
        grade1.quotas = "th-gia-hoa; 105"
        let resolvedCommune = try await commune.resolved(on: app.db)
        let plan1 = try await AdmissionService.createPlan(grade1, owner: resolvedCommune, by: actor, on: app.db)
        var grade6 = grade1
        grade6.title = "Tuyển sinh vào lớp 6 năm học 2027–2028"
        grade6.grade = "6"
        grade6.eligibility = "Học sinh hoàn thành chương trình tiểu học, thường trú trên địa bàn xã Gia Viễn."
        grade6.dossier = "Đơn đăng ký; bản sao giấy khai sinh; học bạ tiểu học."
        grade6.place = "Trường THCS Gia Viễn"
        grade6.quotas = "thcs-gia-vien; 180"
        let plan6 = try await AdmissionService.createPlan(grade6, owner: resolvedCommune, by: actor, on: app.db)

        let pupils = [
            ("Nguyễn Minh Khang", "Nam"), ("Trần Bảo Ngọc", "Nữ"), ("Lê Gia Huy", "Nam"), ("Phạm Thanh Trúc", "Nữ"), ("Hoàng Đức Anh", "Nam"),
            ("Vũ Ngọc Diệp", "Nữ"), ("Đặng Quốc Bảo", "Nam"), ("Bùi Khánh Linh", "Nữ"), ("Đỗ Hải Đăng", "Nam"), ("Ngô Phương Thảo", "Nữ"),
            ("Dương Tuấn Kiệt", "Nam"), ("Lý Minh Châu", "Nữ"),
        ]
        let parents = ["Nguyễn Văn Hải", "Trần Thị Mai", "Lê Văn Sơn", "Phạm Thị Hương", "Hoàng Văn Nam", "Vũ Thị Lan"]
        func input(_ index: Int, birthYear: Int, zone: String, choices: [UUID]) -> AdmissionService.RegistrationInput {
            var input = AdmissionService.RegistrationInput()
            input.pupilName = pupils[index % pupils.count].0
            input.gender = pupils[index % pupils.count].1
            input.birthDate = String(format: "%02d/%02d/%d", 1 + (index * 7) % 28, 1 + (index * 5) % 12, birthYear)
            input.birthPlace = "Ninh Bình"
            input.address = ["Thôn Đông, xã Gia Viễn", "Phố Trần Hưng Đạo, phường Hoa Lư", "Xóm 3, xã Kim Sơn"][index % 3]
            input.zone = zone
            input.parentName = parents[index % parents.count]
            input.parentPhone = "09\(String(format: "%08d", 12_345_000 + index * 17))"
            input.consent = true
            input.choices = choices.map { $0.uuidString.lowercased() }
            return input
        }
        let schools10 = try await AdmissionService.schools(of: plan10, on: app.db)
        func school(_ code: String, in list: [(unit: OrgUnit, quota: AdmissionQuota)]) -> UUID? { list.first { $0.unit.code == code }?.unit.id }
        let cva = school("thpt-chu-van-an", in: schools10), hoaLu = school("lien-cap-hoa-lu", in: schools10), kimSon = school("thpt-kim-son-a", in: schools10)
        var registered: [AdmissionRegistration] = []
        for index in 0..<12 {
            let zone1 = index % 3 != 2
            let choices = zone1 ? [cva, hoaLu, kimSon].compactMap { $0 } : [kimSon].compactMap { $0 }
            registered.append(try await AdmissionService.register(
                input(index, birthYear: 2012, zone: zone1 ? "Tuyến 1 – Hoa Lư" : "Tuyến 2 – Kim Sơn", choices: zone1 && index % 2 == 1 ? [hoaLu, cva].compactMap { $0 } : choices),
                plan: plan10, statusURL: "", on: app.db))
        }
        let schools1 = try await AdmissionService.schools(of: plan1, on: app.db), schools6 = try await AdmissionService.schools(of: plan6, on: app.db)
        for index in 0..<6 {
            _ = try await AdmissionService.register(input(index + 3, birthYear: 2021, zone: "", choices: schools1.compactMap(\.unit.id)), plan: plan1, statusURL: "", on: app.db)
            _ = try await AdmissionService.register(input(index + 6, birthYear: 2016, zone: "", choices: schools6.compactMap(\.unit.id)), plan: plan6, statusURL: "", on: app.db)
        }
        // Two already looked at by the Sở; the rest wait for review.
        let resolvedSo = try await so.resolved(on: app.db)
        try await AdmissionService.review(registered[0], decision: .accept, reason: "", plan: plan10, at: resolvedSo, statusURL: "", by: actor, on: app.db)
        try await AdmissionService.review(registered[1], decision: .needsDocuments, reason: "Bổ sung bản sao học bạ THCS có xác nhận của nhà trường.",
                                          plan: plan10, at: resolvedSo, statusURL: "", by: actor, on: app.db)

        // Last month's supplementary grade-10 admission, from registration to published lists:
        // registered, reviewed, scored, allocated and published, the lists up for four more weeks.
        var extra = grade10
        extra.title = "Tuyển sinh bổ sung vào lớp 10 THPT năm học 2026–2027"
        extra.schoolYear = "2026–2027"
        extra.method = AdmissionPlan.Method.thiTuyen.rawValue
        extra.opensAt = at(-40)
        extra.closesAt = at(-30)
        extra.changesCloseAt = at(-28)
        extra.resultsAt = at(-2)
        extra.resultsWithdrawnAt = at(28)
        extra.quotas = "thpt-chu-van-an; 4; Tuyến 1 – Hoa Lư\nlien-cap-hoa-lu; 2; Tuyến 1 – Hoa Lư\nthpt-kim-son-a; 3; Tuyến 2 – Kim Sơn"
        let planExtra = try await AdmissionService.createPlan(extra, owner: resolvedSo, by: actor, on: app.db)
        let registeredAt = now.addingTimeInterval(-35 * 86_400)
        var extraRegistrations: [AdmissionRegistration] = []
        for index in 0..<12 {
            let zone1 = index % 3 != 2
            let choices = zone1 ? (index % 2 == 1 ? [hoaLu, cva] : [cva, hoaLu, kimSon]).compactMap { $0 } : [kimSon].compactMap { $0 }
            extraRegistrations.append(try await AdmissionService.register(
                input(index, birthYear: 2011, zone: zone1 ? "Tuyến 1 – Hoa Lư" : "Tuyến 2 – Kim Sơn", choices: choices),
                plan: planExtra, statusURL: "", now: registeredAt, on: app.db))
        }
        for registration in extraRegistrations {
            try await AdmissionService.review(registration, decision: .accept, reason: "", plan: planExtra, at: resolvedSo, statusURL: "", by: actor,
                                              now: registeredAt.addingTimeInterval(86_400), on: app.db)
        }
        let scores = ["41,25", "38,5", "36,75", "39", "35,5", "40,25", "33", "37,75", "34,25", "38,5", "31,5", "36"]
        let file = "Mã hồ sơ;Số báo danh;Điểm xét tuyển\n" + extraRegistrations.enumerated().map { index, registration in
            "\(registration.trackingCode);\(String(format: "BS%04d", index + 1));\(scores[index])"
        }.joined(separator: "\n")
        _ = try await AdmissionService.importScores(Array(file.utf8), plan: planExtra, at: resolvedSo, by: actor, on: app.db)
        _ = try await AdmissionService.allocate(planExtra, at: resolvedSo, by: actor, on: app.db)
        _ = try await AdmissionService.publish(planExtra, at: resolvedSo, statusURL: "", by: actor, on: app.db)
    }
}
