import EduCore
import EduData
import Fluent
import Vapor

/// `/tuyen-sinh/<id>/ket-qua`: a school's admitted list while the plan's publication window is
/// open (tracking code, exam number, masked name, result; nothing more). On the portal of the
/// unit running a joint plan, the list of its schools first (`?truong=<code>` picks one).
struct AdmissionResultsPage: PageView {
    static let template = "admission-results"

    struct SchoolLink {
        let name: String
        let url: String
        let admitted: String
        let cutoff: String
    }

    struct Entry {
        let trackingCode: String
        let examNumber: String
        let maskedName: String
        let result: String
    }

    let layout: LayoutVM
    let title: String
    let planURL: String
    let statusURL: String
    let shown: Bool
    let message: String
    let schools: [SchoolLink]
    let schoolName: String
    let hasExamNumbers: Bool
    let entries: [Entry]
    let count: String
    let pager: Pager?
}

extension AdmissionResultsPage {
    static func query(_ req: Request, unit: ResolvedUnit, plan: AdmissionPlan) async throws -> AdmissionResultsPage {
        let now = Date()
        let planID = try plan.requireID().uuidString.lowercased()
        let base = SiteURL.admissionResults(id: .value(planID)).path
        let layout = LayoutVM.make(req, title: "Kết quả: \(plan.title)", admin: false)
        let schools = try await AdmissionService.schools(of: plan, on: req.db)
        var message = ""
        if plan.publishedAt == nil {
            message = plan.resultsAt.map { "Kết quả chưa được công bố. Dự kiến công bố: \(VietnameseDate.dateTime($0))." } ?? "Kết quả chưa được công bố."
        } else if !plan.resultsAreShown(at: now) {
            message = "Danh sách kết quả đã được gỡ\(plan.resultsWithdrawnAt.map { " lúc \(VietnameseDate.dateTime($0))" } ?? ""). Phụ huynh xem kết quả của con ở trang tra cứu hồ sơ."
        }
        // Which school's list: this portal's own when it is one of the plan's schools; on the
        // runner's portal the one `truong` names, or the list of schools.
        let own = schools.first { $0.unit.id == unit.id }
        let picked = own ?? schools.first { $0.unit.code == req.textParameter("truong") }
        var entries: [Entry] = [], pager: Pager? = nil, count = ""
        if message.isEmpty, let picked, let schoolID = picked.unit.id {
            let requested = try? req.query.get(Int.self, at: "trang")
            let list = try await AdmissionService.publishedList(of: plan, school: schoolID, page: requested, now: now, on: req.db)
            if let requested, !Paging.exists(requested, total: list.paging.total, size: list.paging.size) { throw AppError.notFound }
            entries = list.entries.map { Entry(trackingCode: $0.trackingCode, examNumber: $0.examNumber, maskedName: $0.maskedName, result: $0.result) }
            count = "\(VietnameseNumber.grouped(list.paging.total)) học sinh trúng tuyển"
            let prefix = own == nil ? base + "?truong=" + picked.unit.code + "&" : base + "?"
            pager = Pager(list.paging, url: { prefix + "trang=\($0)" })
        }
        return AdmissionResultsPage(
            layout: layout, title: plan.title, planURL: SiteURL.admissionPlan(id: .value(planID)).path, statusURL: SiteURL.admissionStatus.path,
            shown: message.isEmpty, message: message,
            schools: message.isEmpty && picked == nil ? schools.map { school in
                SchoolLink(name: school.unit.name, url: base + "?truong=" + school.unit.code,
                           admitted: VietnameseNumber.grouped(school.quota.admitted ?? 0),
                           cutoff: school.quota.cutoff.map(AdmissionAllocation.points) ?? "–")
            } : [],
            schoolName: picked?.unit.name ?? "", hasExamNumbers: entries.contains { !$0.examNumber.isEmpty },
            entries: entries, count: count, pager: pager)
    }
}
