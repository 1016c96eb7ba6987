import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// `/quan-tri/don-vi/<code>/tuyen-sinh`: the plans the unit runs and those that give it a
/// quota, with their registrations counted, and the form for a new plan.
struct AdmissionsAdminPage: PageView {
    static let template = "admin/admissions"

    struct Row {
        let title: String
        let url: String
        let summary: String
        let state: String
        let runBy: String
        let registrations: String
    }

    let layout: LayoutVM
    let unitName: String
    let rows: [Row]
    let form: FormPage
}

/// `/quan-tri/don-vi/<code>/tuyen-sinh/<id>`: the registrations this unit may see (all of them
/// for the unit running the plan; for a school, only those naming it among their choices).
struct AdmissionPlanAdminPage: PageView {
    static let template = "admin/admission-plan"

    struct Registration {
        let id: String
        let reviewAction: String
        let mayReview: Bool
        let reason: String
        let trackingCode: String
        let pupilName: String
        let birthDate: String
        let choices: String
        let status: String
        let submitted: String
        let score: String
        /// The allocation's explanation, once allocated.
        let allocation: String
        let files: [FileLink]
    }

    struct FileLink {
        let name: String
        let url: String
    }

    struct Count {
        let school: String
        let quota: String
        let firstChoices: String
        let allChoices: String
        let admitted: String
        let cutoff: String
    }

    /// The unit running the plan: scores, allocation, publication.
    struct Runner {
        let scoreAction: String
        let allocateAction: String
        let publishAction: String
        let stage: String
        let pendingWarning: String?
        let mayPublish: Bool
        let withdrawal: String
        let resultsURL: String
    }

    let layout: LayoutVM
    let title: String
    let summary: String
    let state: String
    let publicURL: String
    /// The refusal of the last step (not `error`: a field without one would show it, read from this context).
    let failure: String?
    let exportXLSX: String
    let exportCSV: String
    let decisions: [FormField.Option]
    let statusFilter: FormField
    let filterAction: String
    let counts: [Count]
    let registrations: [Registration]
    let total: Int
    let pager: Pager
    let runner: Runner?
}

extension AdmissionsAdminPage {
    static func planFields(_ input: AdmissionService.PlanInput, errors: FormErrors) -> [FormField] {
        [
            FormField(name: "title", label: "Tên kế hoạch", value: input.title, error: errors["title"],
                      hint: "Ví dụ: Tuyển sinh vào lớp 10 THPT năm học 2026–2027.", required: true, maxlength: 200),
            FormField(name: "grade", label: "Khối lớp", value: input.grade, error: errors["grade"], required: true, inputmode: "numeric", maxlength: 2),
            FormField(name: "schoolYear", label: "Năm học", value: input.schoolYear, error: errors["schoolYear"], hint: "2026–2027", required: true, maxlength: 20),
            FormField(name: "method", label: "Phương thức", value: input.method, error: errors["method"], type: "select", required: true,
                      options: AdmissionPlan.Method.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.method) }),
            FormField(name: "opensAt", label: "Mở đăng ký", value: input.opensAt, error: errors["opensAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
            FormField(name: "closesAt", label: "Hạn đăng ký", value: input.closesAt, error: errors["closesAt"], hint: "dd/mm/yyyy hh:mm", required: true, maxlength: 25),
            FormField(name: "changesCloseAt", label: "Hạn đổi nguyện vọng", value: input.changesCloseAt, error: errors["changesCloseAt"],
                      hint: "dd/mm/yyyy hh:mm; để trống: như hạn đăng ký.", maxlength: 25),
            FormField(name: "resultsAt", label: "Công bố kết quả", value: input.resultsAt, error: errors["resultsAt"], hint: "dd/mm/yyyy hh:mm", maxlength: 25),
            FormField(name: "resultsWithdrawnAt", label: "Gỡ danh sách kết quả", value: input.resultsWithdrawnAt, error: errors["resultsWithdrawnAt"],
                      hint: "dd/mm/yyyy hh:mm; sau thời điểm này danh sách không còn công khai.", maxlength: 25),
            FormField(name: "maxChoices", label: "Số nguyện vọng tối đa", value: input.maxChoices, error: errors["maxChoices"], required: true,
                      inputmode: "numeric", maxlength: 2),
            FormField(name: "zones", label: "Các tuyến (mỗi dòng một tuyến)", value: input.zones, error: errors["zones"], type: "textarea", maxlength: 2000),
            FormField(name: "sameZoneChoices", label: "Số nguyện vọng đầu phải cùng tuyến", value: input.sameZoneChoices, error: errors["sameZoneChoices"],
                      hint: "Hà Nội: 2. Để 0 nếu không phân tuyến.", inputmode: "numeric", maxlength: 2),
            FormField(name: "quotas", label: "Trường và chỉ tiêu", value: input.quotas, error: errors["quotas"],
                      hint: "Mỗi dòng một trường: mã đơn vị; chỉ tiêu; tuyến. Ví dụ: thpt-chu-van-an; 540; Tuyến 1", type: "textarea", required: true, maxlength: 5000),
            FormField(name: "eligibility", label: "Đối tượng, điều kiện", value: input.eligibility, error: errors["eligibility"], type: "textarea", maxlength: 5000),
            FormField(name: "priorities", label: "Diện ưu tiên (mỗi dòng một diện)", value: input.priorities, error: errors["priorities"], type: "textarea", maxlength: 3000),
            FormField(name: "dossier", label: "Hồ sơ", value: input.dossier, error: errors["dossier"], type: "textarea", maxlength: 5000),
            FormField(name: "place", label: "Nơi nộp, nơi xét", value: input.place, error: errors["place"], maxlength: 300),
            FormField(name: "needsEthnicity", label: "Đơn cần khai dân tộc", type: "checkbox", checked: input.needsEthnicity),
            FormField(name: "retentionDays", label: "Số ngày lưu hồ sơ không trúng tuyển", value: input.retentionDays, error: errors["retentionDays"],
                      hint: "Sau thời hạn này hồ sơ của trẻ không trúng tuyển bị xóa.", required: true, inputmode: "numeric", maxlength: 4),
        ]
    }

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: AdmissionService.PlanInput = .init(),
                      errors: FormErrors = [:]) async throws -> AdmissionsAdminPage {
        let now = Date()
        let plans = try await AdmissionService.plans(covering: unit.id, on: req.db)
        let owners = Dictionary(uniqueKeysWithValues: try await OrgUnit.query(on: req.db).filter(\.$id ~~ plans.map(\.unitID)).all().compactMap { u in u.id.map { ($0, u.name) } })
        var rows: [Row] = []
        for plan in plans {
            let count = try await AdmissionService.registrations(of: plan, visibleTo: unit.id, on: req.db).count()
            rows.append(Row(title: plan.title, url: SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(try plan.requireID().uuidString.lowercased())).path,
                            summary: plan.summary, state: plan.stateLabel(at: now), runBy: owners[plan.unitID] ?? "", registrations: VietnameseNumber.grouped(count)))
        }
        let base = SiteURL.adminAdmissions(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Tuyển sinh", url: base)])
        let layout = LayoutVM.make(req, title: "Tuyển sinh – \(unit.name)", admin: true, breadcrumbs: crumbs)
        return AdmissionsAdminPage(
            layout: layout, unitName: unit.name, rows: rows,
            form: FormPage(layout: layout, heading: "Kế hoạch tuyển sinh mới", intro: errors.form, action: base, submitLabel: "Tạo kế hoạch",
                           fields: planFields(input, errors: errors), cancelURL: base))
    }
}

extension AdmissionPlanAdminPage {
    static let pageSize = 50

    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, plan: AdmissionPlan, error: String? = nil) async throws -> AdmissionPlanAdminPage {
        let planID = try plan.requireID()
        let statusParam = req.textParameter("trang-thai")
        let wanted = AdmissionRegistration.Status(rawValue: statusParam)
        let schools = try await AdmissionService.schools(of: plan, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: schools.compactMap { s in s.unit.id.map { ($0, s.unit.name) } })
        let query = try await AdmissionService.registrations(of: plan, visibleTo: unit.id, on: req.db)
        if let wanted { query.filter(\.$status == wanted.rawValue) }
        let total = try await query.count()
        let paging = Paging(total: total, size: pageSize, requested: try? req.query.get(Int.self, at: "trang"))
        let shown = try await query.sort(\.$createdAt).range(paging.range).all()
        let shownIDs = shown.compactMap(\.id)
        let choices = shownIDs.isEmpty ? [] : try await AdmissionChoice.query(on: req.db).filter(\.$registrationID ~~ shownIDs).sort(\.$rank).all()
        let current = Dictionary(grouping: choices, by: \.registrationID)
        let files = shownIDs.isEmpty ? [] : try await AdmissionAttachment.query(on: req.db).filter(\.$registrationID ~~ shownIDs).sort(\.$createdAt).all()
        let filesOf = Dictionary(grouping: files, by: \.registrationID)
        // Live counts against quotas, from the current choices of every registration.
        let counts = try await AdmissionService.choiceCounts(of: plan, on: req.db)
        let visibleSchools = plan.unitID == unit.id ? schools : schools.filter { $0.unit.id == unit.id }
        let base = SiteURL.adminAdmissionPlan(code: .value(unit.code), id: .value(planID.uuidString.lowercased())).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Tuyển sinh", url: SiteURL.adminAdmissions(code: .value(unit.code)).path), .init(label: plan.title, url: base),
        ])
        return AdmissionPlanAdminPage(
            layout: LayoutVM.make(req, title: plan.title, admin: true, breadcrumbs: crumbs),
            title: plan.title, summary: plan.summary, state: plan.stateLabel(at: Date()),
            publicURL: SiteURL.admissionPlan(id: .value(planID.uuidString.lowercased())).path,
            failure: error,
            exportXLSX: SiteURL.adminAdmissionExport(code: .value(unit.code), id: .value(planID.uuidString.lowercased()), file: .value("ho-so.xlsx")).path,
            exportCSV: SiteURL.adminAdmissionExport(code: .value(unit.code), id: .value(planID.uuidString.lowercased()), file: .value("ho-so.csv")).path,
            decisions: [.init(value: "", label: "— Kết quả xét —", selected: true)]
                + AdmissionService.Decision.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: false) },
            statusFilter: FormField(name: "trang-thai", label: "Trạng thái", value: statusParam, type: "select",
                                    options: [.init(value: "", label: "Tất cả", selected: wanted == nil)]
                                        + AdmissionRegistration.Status.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == wanted) }),
            filterAction: base,
            counts: visibleSchools.compactMap { school in
                school.unit.id.map { id in
                    Count(school: school.unit.name, quota: VietnameseNumber.grouped(school.quota.quota), firstChoices: VietnameseNumber.grouped(counts[id]?.first ?? 0),
                          allChoices: VietnameseNumber.grouped(counts[id]?.any ?? 0),
                          admitted: plan.allocatedAt == nil && plan.publishedAt == nil ? "–" : VietnameseNumber.grouped(school.quota.admitted ?? 0),
                          cutoff: plan.allocatedAt == nil && plan.publishedAt == nil ? "–" : (school.quota.cutoff.map(AdmissionAllocation.points) ?? "Không xét"))
                }
            },
            registrations: shown.map { registration in
                let mine = (current[registration.id ?? UUID()] ?? []).filter { $0.version == registration.choicesVersion }
                let status = registration.currentStatus
                return Registration(
                    id: registration.id?.uuidString.lowercased() ?? "",
                    reviewAction: SiteURL.adminAdmissionReview(code: .value(unit.code), id: .value(planID.uuidString.lowercased()),
                                                               registration: .value(registration.id?.uuidString.lowercased() ?? "")).path,
                    mayReview: status?.awaitsDecision == true && AdmissionService.isReviewer(unit.id, plan: plan, firstChoice: mine.first { $0.rank == 1 }?.schoolID),
                    reason: registration.reason,
                    trackingCode: registration.trackingCode, pupilName: registration.pupilName,
                    birthDate: ExamDate.vietnamese(Int32(registration.birthDate)),
                    choices: mine.map { "\($0.rank). \(names[$0.schoolID] ?? "–")" }.joined(separator: "; "),
                    status: status?.label ?? registration.status,
                    submitted: VietnameseDate.dateTime(registration.createdAt),
                    score: registration.score.map(AdmissionAllocation.points) ?? "",
                    allocation: registration.resultNote ?? "",
                    files: (filesOf[registration.id ?? UUID()] ?? []).map { file in
                        FileLink(name: file.originalName.isEmpty ? "Tệp" : file.originalName, url: SiteURL.adminAdmissionAttachment(
                            code: .value(unit.code), id: .value(planID.uuidString.lowercased()),
                            registration: .value(registration.id?.uuidString.lowercased() ?? ""), file: .value(file.storedName)).path)
                    })
            },
            total: total, pager: Pager(paging, url: { base + "?trang=\($0)" + (wanted.map { "&trang-thai=" + $0.rawValue } ?? "") }),
            runner: plan.unitID == unit.id ? try await runner(req, unit: unit, plan: plan) : nil)
    }

    static func runner(_ req: Request, unit: ResolvedUnit, plan: AdmissionPlan) async throws -> Runner {
        let planID = try plan.requireID().uuidString.lowercased()
        func step(_ name: String) -> String { SiteURL.adminAdmissionStep(code: .value(unit.code), id: .value(planID), step: .value(name)).path }
        let pending = try await AdmissionRegistration.query(on: req.db).filter(\.$planID == plan.requireID())
            .filter(\.$status ~~ [AdmissionRegistration.Status.submitted.rawValue, AdmissionRegistration.Status.needsDocuments.rawValue]).count()
        let stage: String
        if let published = plan.publishedAt {
            stage = "Đã công bố kết quả lúc \(VietnameseDate.dateTime(published))."
        } else if let allocated = plan.allocatedAt {
            stage = "Đã phân bổ lúc \(VietnameseDate.dateTime(allocated)); chưa công bố. Kiểm tra kết quả từng hồ sơ và điểm chuẩn ở bảng trên."
        } else {
            stage = "Chưa phân bổ (hoặc điểm, hồ sơ đã thay đổi sau lần phân bổ trước)."
        }
        return Runner(
            scoreAction: step("diem") + "?_csrf=" + (req.csrfToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
            allocateAction: step("phan-bo"), publishAction: step("cong-bo"), stage: stage,
            pendingWarning: pending > 0 && plan.publishedAt == nil
                ? "\(VietnameseNumber.grouped(pending)) hồ sơ chưa được xác nhận hợp lệ: không được phân bổ, và là không trúng tuyển khi công bố." : nil,
            mayPublish: plan.publishedAt == nil && plan.allocatedAt != nil,
            withdrawal: plan.resultsWithdrawnAt.map { "Danh sách công khai đến \(VietnameseDate.dateTime($0)); sau đó tự động gỡ." }
                ?? "Kế hoạch chưa có thời điểm gỡ danh sách: chưa công bố được.",
            resultsURL: SiteURL.admissionResults(id: .value(planID)).path)
    }
}
