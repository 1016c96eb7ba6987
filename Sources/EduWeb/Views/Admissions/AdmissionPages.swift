import EduCore
import EduData
import EduImport
import Fluent
import Vapor

/// `/tuyen-sinh`: the plans that admit to this unit, and the status lookup.
struct AdmissionsPage: PageView {
    static let template = "admissions"

    struct Plan {
        let title: String
        let url: String
        let summary: String
        let window: String
        let state: String
        let open: Bool
    }

    let layout: LayoutVM
    let plans: [Plan]
    let statusAction: String
}

/// `/tuyen-sinh/<id>`: what the plan says, its timeline and its schools.
struct AdmissionPlanPage: PageView {
    static let template = "admission-plan"

    struct School {
        let name: String
        let quota: String
        let zone: String
    }

    struct Step {
        let label: String
        let when: String
    }

    let layout: LayoutVM
    let title: String
    let owner: String
    let summary: String
    let eligibility: String
    let dossier: String
    let place: String
    let priorities: [String]
    let zones: [String]
    let choiceRule: String
    let timeline: [Step]
    let schools: [School]
    let open: Bool
    let state: String
    let registerURL: String
    /// The published lists, once the results are out.
    let resultsURL: String
}

/// `/tuyen-sinh/<id>/dang-ky`: the form, and after a stored registration, the receipt.
struct AdmissionRegisterPage: PageView {
    static let template = "admission-register"

    let layout: LayoutVM
    let title: String
    let planURL: String
    let open: Bool
    let closedMessage: String
    let form: FormPage
}

struct AdmissionReceiptPage: PageView {
    static let template = "admission-receipt"

    let layout: LayoutVM
    let trackingCode: String
    let pupilName: String
    let planTitle: String
    let storedAt: String
    let emailed: Bool
    let statusURL: String
}

/// `/tuyen-sinh/tra-cuu`: a registration by tracking code and date of birth, its choices (every
/// version), and the change form while the window is open.
struct AdmissionStatusPage: PageView {
    static let template = "admission-status"

    struct Version {
        let number: Int
        let when: String
        let schools: String
    }

    let layout: LayoutVM
    let asked: Bool
    let found: Bool
    let codeField: FormField
    let birthField: FormField
    let action: String
    let trackingCode: String
    let pupilName: String
    let birthDate: String
    let planTitle: String
    let status: String
    let reason: String
    let choices: [String]
    let versions: [Version]
    let canChange: Bool
    let changeAction: String
    let changeFields: [FormField]
    let changeErrors: [String]
    let changed: Bool
    /// Once the plan's results are published (never before: no "virtual" results): where the
    /// child was admitted or why not, and the plan's cut-offs.
    let result: String
    let resultsURL: String
}

extension AdmissionPlan {
    var methodLabel: String { Method(rawValue: method)?.label ?? method }

    func stateLabel(at now: Date) -> String {
        if now < registrationOpensAt { return "Sắp mở đăng ký (từ \(VietnameseDate.dateTime(registrationOpensAt)))" }
        if now < registrationClosesAt { return "Đang nhận đăng ký (đến \(VietnameseDate.dateTime(registrationClosesAt)))" }
        if now < changesCloseAt { return "Hết hạn đăng ký; đang nhận đổi nguyện vọng (đến \(VietnameseDate.dateTime(changesCloseAt)))" }
        return "Đã hết hạn đăng ký"
    }

    var summary: String { "Lớp \(grade) · năm học \(schoolYear) · \(methodLabel)" }
}

extension AdmissionsPage {
    static func query(_ req: Request, unit: ResolvedUnit) async throws -> AdmissionsPage {
        let now = Date()
        let plans = try await AdmissionService.plans(covering: unit.id, on: req.db)
        return AdmissionsPage(
            layout: LayoutVM.make(req, title: "Tuyển sinh", admin: false),
            plans: try plans.map { plan in
                Plan(title: plan.title, url: SiteURL.admissionPlan(id: .value(try plan.requireID().uuidString.lowercased())).path,
                     summary: plan.summary,
                     window: "\(VietnameseDate.dateTime(plan.registrationOpensAt)) – \(VietnameseDate.dateTime(plan.registrationClosesAt))",
                     state: plan.stateLabel(at: now), open: plan.registrationIsOpen(at: now))
            },
            statusAction: SiteURL.admissionStatus.path)
    }
}

extension AdmissionPlanPage {
    static func query(_ req: Request, unit: ResolvedUnit, plan: AdmissionPlan) async throws -> AdmissionPlanPage {
        let now = Date()
        let schools = try await AdmissionService.schools(of: plan, on: req.db)
        let owner = try await OrgUnit.find(plan.unitID, on: req.db)
        var timeline = [Step(label: "Đăng ký trực tuyến", when: "\(VietnameseDate.dateTime(plan.registrationOpensAt)) – \(VietnameseDate.dateTime(plan.registrationClosesAt))")]
        if plan.changesCloseAt > plan.registrationClosesAt { timeline.append(Step(label: "Hạn đổi nguyện vọng", when: VietnameseDate.dateTime(plan.changesCloseAt))) }
        if let results = plan.resultsAt { timeline.append(Step(label: "Công bố kết quả", when: VietnameseDate.dateTime(results))) }
        var rule = plan.maxChoices == 1 ? "Đăng ký một trường." : "Đăng ký tối đa \(plan.maxChoices) nguyện vọng, xếp theo thứ tự ưu tiên."
        if plan.sameZoneChoices > 0 { rule += " \(plan.sameZoneChoices == 1 ? "Nguyện vọng 1" : "\(plan.sameZoneChoices) nguyện vọng đầu") phải là trường thuộc tuyến nơi học sinh thường trú." }
        return AdmissionPlanPage(
            layout: LayoutVM.make(req, title: plan.title, admin: false),
            title: plan.title, owner: owner?.name ?? "", summary: plan.summary, eligibility: plan.eligibility, dossier: plan.dossier,
            place: plan.place, priorities: plan.priorityList, zones: plan.zoneList, choiceRule: rule, timeline: timeline,
            schools: schools.map { School(name: $0.unit.name, quota: VietnameseNumber.grouped($0.quota.quota), zone: $0.quota.zone) },
            open: plan.registrationIsOpen(at: now), state: plan.stateLabel(at: now),
            registerURL: SiteURL.admissionRegister(id: .value(try plan.requireID().uuidString.lowercased())).path,
            resultsURL: plan.resultsAreShown(at: now) ? SiteURL.admissionResults(id: .value(try plan.requireID().uuidString.lowercased())).path : "")
    }
}

extension AdmissionRegisterPage {
    static func fields(_ input: AdmissionService.RegistrationInput, plan: AdmissionPlan, schools: [(unit: OrgUnit, quota: AdmissionQuota)],
                       errors: FormErrors) -> [FormField] {
        var fields = [
            FormField(name: "pupilName", label: "Họ và tên của trẻ", value: input.pupilName, error: errors["pupilName"], required: true,
                      autocomplete: "off", maxlength: 100),
            FormField(name: "birthDate", label: "Ngày sinh", value: input.birthDate, error: errors["birthDate"], hint: "dd/mm/yyyy, ví dụ 05/09/2020",
                      required: true, inputmode: "numeric", maxlength: 10),
            FormField(name: "gender", label: "Giới tính", value: input.gender, error: errors["gender"], type: "select", required: true,
                      options: [.init(value: "", label: "— Chọn —", selected: input.gender.isEmpty)]
                        + ["Nam", "Nữ"].map { .init(value: $0, label: $0, selected: input.gender == $0) }),
        ]
        if plan.needsEthnicity {
            fields.append(FormField(name: "ethnicity", label: "Dân tộc", value: input.ethnicity, error: errors["ethnicity"], required: true, maxlength: 50))
        }
        fields += [
            FormField(name: "birthPlace", label: "Nơi sinh", value: input.birthPlace, error: errors["birthPlace"], required: true, maxlength: 200),
            FormField(name: "address", label: "Địa chỉ thường trú", value: input.address, error: errors["address"], required: true, maxlength: 300),
        ]
        if !plan.zoneList.isEmpty {
            fields.append(FormField(name: "zone", label: "Tuyến (theo nơi thường trú)", value: input.zone, error: errors["zone"], type: "select",
                                    required: true, options: [.init(value: "", label: "— Chọn tuyến —", selected: input.zone.isEmpty)]
                                        + plan.zoneList.map { .init(value: $0, label: $0, selected: input.zone == $0) }))
        }
        fields += [
            FormField(name: "parentName", label: "Họ và tên cha, mẹ hoặc người giám hộ", value: input.parentName, error: errors["parentName"],
                      required: true, autocomplete: "name", maxlength: 100),
            FormField(name: "parentPhone", label: "Số điện thoại", value: input.parentPhone, error: errors["parentPhone"], type: "tel",
                      required: true, autocomplete: "tel", inputmode: "tel", maxlength: 20),
            FormField(name: "parentEmail", label: "Thư điện tử (để nhận mã hồ sơ)", value: input.parentEmail, error: errors["parentEmail"],
                      type: "email", autocomplete: "email", maxlength: 254),
        ]
        if !plan.priorityList.isEmpty {
            fields.append(FormField(name: "priority", label: "Diện ưu tiên", value: input.priority, error: errors["priority"], hint: "Đính kèm giấy tờ chứng minh ở mục «Tệp đính kèm».",
                                    type: "select", options: [.init(value: "", label: "Không thuộc diện ưu tiên", selected: input.priority.isEmpty)]
                                        + plan.priorityList.map { .init(value: $0, label: $0, selected: input.priority == $0) }))
        }
        fields += choiceFields(input.choices, plan: plan, schools: schools, errors: errors)
        fields.append(FormField(
            name: "attachments[]", label: "Tệp đính kèm", error: errors["attachments"],
            hint: "Giấy tờ chứng minh diện ưu tiên, giấy tờ cư trú… PDF, JPG hoặc PNG; tối đa \(AdmissionService.maxAttachments) tệp, mỗi tệp \(AdmissionService.maxAttachmentBytes >> 20) MB. Khi có lỗi ở đơn, cần chọn lại tệp.",
            type: "file", accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", multiple: true))
        fields.append(FormField(name: "consent", label: AdmissionService.consentText, error: errors["consent"], type: "checkbox", checked: input.consent))
        return fields
    }

    static func choiceFields(_ chosen: [String], plan: AdmissionPlan, schools: [(unit: OrgUnit, quota: AdmissionQuota)], errors: FormErrors) -> [FormField] {
        (1...plan.maxChoices).map { rank in
            let value = rank <= chosen.count ? chosen[rank - 1] : ""
            let label = plan.maxChoices == 1 ? "Trường đăng ký" : "Nguyện vọng \(rank)"
            return FormField(
                name: "choice\(rank)", label: label, value: value, error: errors["choice\(rank)"], type: "select", required: rank == 1,
                options: [.init(value: "", label: rank == 1 ? "— Chọn trường —" : "— Không đăng ký —", selected: value.isEmpty)]
                    + schools.compactMap { school in
                        school.unit.id.map { id in
                            let text = id.uuidString.lowercased()
                            return .init(value: text, label: school.unit.name + (school.quota.zone.isEmpty ? "" : " (\(school.quota.zone))"),
                                         selected: value.lowercased() == text)
                        }
                    })
        }
    }

    static func query(_ req: Request, unit: ResolvedUnit, plan: AdmissionPlan, input: AdmissionService.RegistrationInput,
                      errors: FormErrors = [:]) async throws -> AdmissionRegisterPage {
        let now = Date()
        let schools = try await AdmissionService.schools(of: plan, on: req.db)
        let layout = LayoutVM.make(req, title: "Đăng ký: \(plan.title)", admin: false)
        let planID = try plan.requireID().uuidString.lowercased()
        return AdmissionRegisterPage(
            layout: layout, title: plan.title, planURL: SiteURL.admissionPlan(id: .value(planID)).path,
            open: plan.registrationIsOpen(at: now), closedMessage: errors.form ?? plan.stateLabel(at: now),
            form: FormPage(layout: layout, heading: "Đơn đăng ký", intro: errors.form, action: SiteURL.admissionRegister(id: .value(planID)).path,
                           submitLabel: "Gửi đơn đăng ký", fields: fields(input, plan: plan, schools: schools, errors: errors),
                           cancelURL: SiteURL.admissionPlan(id: .value(planID)).path))
    }
}

extension AdmissionStatusPage {
    static func query(_ req: Request, unit: ResolvedUnit, code: String, birth: String, changeInput: [String]? = nil,
                      changeErrors: FormErrors = [:], changed: Bool = false) async throws -> AdmissionStatusPage {
        let asked = !code.isEmpty || !birth.isEmpty
        var registration = asked ? try await AdmissionService.find(trackingCode: code, birthDate: birth, on: req.db) : nil
        // Only on a portal that shows the plan: another unit's portal does not answer for it.
        let plan = try await registration.asyncMap { try await AdmissionService.plan($0.planID, shownAt: unit.id, on: req.db) } ?? nil
        if plan == nil { registration = nil }
        var choices: [String] = [], versions: [Version] = [], fields: [FormField] = []
        var canChange = false
        if let registration, let plan {
            let schools = try await AdmissionService.schools(of: plan, on: req.db)
            let names = Dictionary(uniqueKeysWithValues: schools.compactMap { s in s.unit.id.map { ($0, s.unit.name) } })
            let all = try await AdmissionChoice.query(on: req.db).filter(\.$registrationID == registration.requireID()).sort(\.$version).sort(\.$rank).all()
            let current = all.filter { $0.version == registration.choicesVersion }
            choices = current.map { "NV\($0.rank): \(names[$0.schoolID] ?? "–")" }
            versions = Dictionary(grouping: all, by: \.version).sorted { $0.key > $1.key }.map { version, rows in
                Version(number: version, when: VietnameseDate.dateTime(rows[0].createdAt),
                        schools: rows.map { "\($0.rank). \(names[$0.schoolID] ?? "–")" }.joined(separator: "; "))
            }
            canChange = plan.changesAreOpen(at: Date()) && registration.currentStatus?.takesChoiceChanges == true
            if canChange {
                fields = AdmissionRegisterPage.choiceFields(changeInput ?? current.map { $0.schoolID.uuidString.lowercased() }, plan: plan,
                                                            schools: schools, errors: changeErrors)
            }
        }
        let status = registration.map { $0.currentStatus?.label ?? $0.status } ?? ""
        return AdmissionStatusPage(
            layout: LayoutVM.make(req, title: "Tra cứu hồ sơ tuyển sinh", admin: false,
                                  notice: changed ? "Đã lưu nguyện vọng mới; các lần đăng ký trước vẫn được lưu." : nil),
            asked: asked, found: registration != nil,
            codeField: FormField(name: "ma", label: "Mã hồ sơ", value: code, hint: "Ví dụ TS-7K3M-9QXP", required: true, autocomplete: "off", maxlength: 20),
            birthField: FormField(name: "ngay-sinh", label: "Ngày sinh của trẻ", value: birth, hint: "dd/mm/yyyy", required: true, inputmode: "numeric", maxlength: 10),
            action: SiteURL.admissionStatus.path,
            trackingCode: registration?.trackingCode ?? "", pupilName: registration?.pupilName ?? "",
            birthDate: registration.map { ExamDate.vietnamese(Int32($0.birthDate)) } ?? "", planTitle: plan?.title ?? "",
            status: status, reason: registration?.reason ?? "", choices: choices, versions: versions,
            canChange: canChange, changeAction: SiteURL.admissionChoices.path, changeFields: fields,
            changeErrors: changeErrors.messagesWithoutFields, changed: changed,
            result: plan?.publishedAt != nil ? (registration?.resultNote ?? "") : "",
            resultsURL: plan?.publishedAt != nil ? SiteURL.admissionResults(id: .value(plan?.id?.uuidString.lowercased() ?? "")).path : "")
    }
}
