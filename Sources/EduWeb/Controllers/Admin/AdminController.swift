import EduCore
import EduData
import Fluent
import Vapor

/// The admin shell: the units a person may manage, their data, children and accounts.
struct AdminController {
    func register(_ routes: any RoutesBuilder, units: UnitRoutes) {
        func path(_ url: SiteURL) -> [PathComponent] { url.routePath }
        routes.get(path(.adminHome), use: dashboard)
        units.get(.adminUnit(code: .key), requires: .viewUnit, use: showUnit)
        units.get(.adminUnitEdit(code: .key), requires: .editUnit, use: editUnitForm)
        units.post(.adminUnitEdit(code: .key), requires: .editUnit, use: editUnit)
        units.get(.adminUnitCreateChild(code: .key), requires: .createChildUnit, use: createChildForm)
        units.post(.adminUnitCreateChild(code: .key), requires: .createChildUnit, use: createChild)
        // The service checks the rights at both places (the unit's managing unit and the destination).
        units.get(.adminUnitChange(code: .key), requires: .viewUnit, use: unitChangeForm)
        units.post(.adminUnitChange(code: .key), requires: .viewUnit, use: changeUnit)
        units.get(.adminUserCreate(code: .key), requires: .manageUsers, use: createUserForm)
        units.post(.adminUserCreate(code: .key), requires: .manageUsers, use: createUser)
        units.post(.adminGrant(code: .key), requires: .manageUsers, use: grantRole)
        units.post(.adminRevoke(code: .key), requires: .manageUsers, use: revokeRole)
        units.post(.adminUserDisable(code: .key), requires: .manageUsers, use: setUserDisabled)
        units.post(.adminUserPasswordReset(code: .key), requires: .manageUsers, use: resetUserPassword)
    }

    // MARK: - Moving, merging, dissolving

    @Sendable func unitChangeForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await UnitChangePage.query(req, admin: admin, unit: unit))
    }

    @Sendable func changeUnit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let record = try await unit.record(on: req.db)
        let authority = UnitChangeService.Authority.admin(admin)
        let links = PublicLinks(config: req.config, port: req.config.publicPort)
        func named(_ field: String, _ message: String) async throws -> OrgUnit {
            guard let code = form[field], !code.isEmpty, let other = try await OrgUnit.find(code: code, on: req.db) else { throw FormErrors.field(field, message) }
            return other
        }
        do {
            switch form["change"] ?? "" {
            case "chuyen":
                let parent = try await named("parent", "Chọn đơn vị quản lý mới.")
                try await UnitChangeService.move(record, under: parent, authority: authority, by: req.actor(admin), on: req.db)
                try await req.application.unitsChanged(on: req.db)
                return req.redirect(to: SiteURL.adminUnit(code: .value(unit.code)).path + "?ok=unit-moved")
            case "sap-nhap":
                let successor = try await named("successor", "Chọn đơn vị nhận.")
                guard form["confirmMerge"] == "on" else { throw FormErrors.field("confirmMerge", "Đánh dấu ô xác nhận để sáp nhập.") }
                try await UnitChangeService.merge(record, into: successor, authority: authority, by: req.actor(admin), notices: links, on: req.db)
                try await req.application.unitsChanged(on: req.db)
                return req.redirect(to: SiteURL.adminUnit(code: .value(successor.code)).path + "?ok=unit-merged")
            case "giai-the":
                guard form["confirmDissolve"] == "on" else { throw FormErrors.field("confirmDissolve", "Đánh dấu ô xác nhận để giải thể.") }
                try await UnitChangeService.dissolve(record, authority: authority, by: req.actor(admin), notices: links, on: req.db)
                try await req.application.unitsChanged(on: req.db)
                let parent = try await UnitChangeService.parent(of: record, on: req.db)
                return req.redirect(to: parent.map { SiteURL.adminUnit(code: .value($0.code)).path + "?ok=unit-dissolved" } ?? SiteURL.adminHome.path)
            default:
                throw AppError.notFound
            }
        } catch let errors as FormErrors {
            return req.render(try await UnitChangePage.query(req, admin: admin, unit: unit, errors: errors), status: .unprocessableEntity)
        }
    }

    // MARK: - Dashboard

    @Sendable func dashboard(req: Request) async throws -> Response {
        req.render(try await DashboardPage.query(req, admin: try req.requireAdmin()))
    }

    // MARK: - Unit page

    struct ContentLink {
        let label: String
        let url: String
    }

    /// The unit's content sections this person may open.
    static func contentLinks(admin: AdminContext, unit: ResolvedUnit) -> [ContentLink] {
        var links: [ContentLink] = []
        if admin.may(.submitContent, on: unit) {
            links += [
                .init(label: "Bài viết", url: SiteURL.adminArticles(code: .value(unit.code)).path),
                .init(label: "Văn bản", url: SiteURL.adminDocuments(code: .value(unit.code)).path),
                .init(label: "Thư viện tệp", url: SiteURL.adminMedia(code: .value(unit.code)).path),
                .init(label: "Tài nguyên số", url: SiteURL.adminResources(code: .value(unit.code)).path),
            ]
            if unit.type.isManagementAgency {
                links.append(.init(label: "Thủ tục hành chính", url: SiteURL.adminProcedures(code: .value(unit.code)).path))
                links.append(.init(label: "Dự án, đấu thầu", url: SiteURL.adminProcurement(code: .value(unit.code)).path))
            }
            links += InfoSection.forType(unit.type).map { .init(label: $0.title, url: SiteURL.adminInfoSection(code: .value(unit.code), section: $0.key).path) }
        }
        if admin.may(.reviewContent, on: unit) {
            links.append(.init(label: "Ý kiến gửi đến", url: SiteURL.adminMessages(code: .value(unit.code)).path))
        }
        if admin.may(.reviewContent, on: unit) {
            links.append(.init(label: "Hỏi đáp: câu hỏi của người dân", url: SiteURL.adminQuestions(code: .value(unit.code)).path))
        }
        if admin.may(.publishContent, on: unit) {
            links.append(.init(label: "Giới thiệu, lãnh đạo, cơ cấu tổ chức", url: SiteURL.adminIntro(code: .value(unit.code)).path))
            links.append(.init(label: "Chuyên mục và hạn cập nhật", url: SiteURL.adminCategories(code: .value(unit.code)).path))
            links.append(.init(label: "Bình chọn", url: SiteURL.adminPolls(code: .value(unit.code)).path))
            links.append(.init(label: "Lấy ý kiến dự thảo", url: SiteURL.adminConsultations(code: .value(unit.code)).path))
            links.append(.init(label: "Công khai (Thông tư 09/2024)", url: SiteURL.adminDisclosure(code: .value(unit.code)).path))
            if unit.type == .so {
                links.append(.init(label: "Trung tâm ngoại ngữ, tin học", url: SiteURL.adminCentres(code: .value(unit.code)).path))
            }
        }
        if admin.may(.editUnit, on: unit) {
            links.append(.init(label: "Tên miền: được giao, yêu cầu, phê duyệt", url: SiteURL.adminNames(code: .value(unit.code)).path))
            links.append(.init(label: "Niên giám thống kê", url: SiteURL.adminYearbook(code: .value(unit.code)).path))
        }
        if admin.may(.manageMail, on: unit) {
            links.append(.init(label: "Thư điện tử: hộp thư, nhóm thư", url: SiteURL.adminMail(code: .value(unit.code)).path))
        }
        if admin.may(.manageExams, on: unit) {
            links.append(.init(label: "Kỳ thi và kết quả thi", url: SiteURL.adminExams(code: .value(unit.code)).path))
            links.append(.init(label: "Sổ văn bằng, chứng chỉ", url: SiteURL.adminDiplomas(code: .value(unit.code)).path))
        }
        if admin.may(.evaluateUnits, on: unit) && unit.type.isManagementAgency {
            links.append(.init(label: "Kiểm tra, đánh giá, xếp hạng đơn vị trực thuộc", url: SiteURL.adminEvaluation(code: .value(unit.code)).path))
        }
        links.append(.init(label: "Lượt truy cập cổng thông tin", url: SiteURL.adminVisits(code: .value(unit.code)).path))
        links.append(.init(label: "Báo cáo triển khai (gửi cấp trên, đã nhận)", url: SiteURL.adminReport(code: .value(unit.code)).path))
        if unit.parentID != nil {
            links.append(.init(label: "Kết quả đánh giá của đơn vị cấp trên", url: SiteURL.adminEvaluationResults(code: .value(unit.code)).path))
        }
        if admin.may(.manageAdmissions, on: unit) {
            links.append(.init(label: "Tuyển sinh: kế hoạch, hồ sơ đăng ký", url: SiteURL.adminAdmissions(code: .value(unit.code)).path))
        }
        return links
    }

    static func breadcrumbs(_ req: Request, admin: AdminContext, unit: ResolvedUnit, extra: [LayoutVM.Crumb] = []) async throws -> [LayoutVM.Crumb] {
        var crumbs = [LayoutVM.Crumb(label: "Quản trị", url: SiteURL.adminHome.path)]
        for ancestor in try await unit.ancestors(on: req.db) where admin.may(.viewUnit, on: ancestor) {
            crumbs.append(.init(label: ancestor.name, url: SiteURL.adminUnit(code: .value(ancestor.code)).path))
        }
        crumbs.append(.init(label: unit.name, url: SiteURL.adminUnit(code: .value(unit.code)).path))
        return crumbs + extra
    }

    @Sendable func showUnit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return req.render(try await UnitAdminPage.query(req, admin: admin, unit: unit))
    }

    // MARK: - Unit forms

    static func unitFields(
        _ input: UnitService.Input, errors: FormErrors, creating: Bool, childTypes: [UnitType], security: Bool
    ) -> [FormField] {
        var fields: [FormField] = []
        if creating {
            fields.append(FormField(
                name: "type", label: "Loại đơn vị", value: input.type, error: errors["type"], type: "select", required: true,
                options: [.init(value: "", label: "— Chọn loại đơn vị —", selected: input.type.isEmpty)]
                    + childTypes.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.type) }))
            fields.append(FormField(
                name: "code", label: "Mã đơn vị", value: input.code, error: errors["code"],
                hint: "Chữ thường không dấu, chữ số, dấu gạch nối; dùng trong địa chỉ <mã>.<tên miền gốc>. Không đổi được sau khi tạo.",
                required: true, autocomplete: "off", maxlength: 63))
        }
        func text(_ name: String, _ label: String, _ value: String, hint: String? = nil, type: String = "text",
                  required: Bool = false, autocomplete: String? = nil, inputmode: String? = nil) -> FormField {
            FormField(name: name, label: label, value: value, error: errors[name], hint: hint, type: type, required: required,
                      autocomplete: autocomplete, inputmode: inputmode)
        }
        fields += [
            text("name", "Tên đơn vị", input.name, required: true, autocomplete: "organization"),
            text("nameEn", "Tên tiếng Anh", input.nameEn, hint: "Hiển thị trên trang tiếng Anh (/en/)."),
            FormField(
                name: "hostnames", label: "Tên miền cổng thông tin", value: input.hostnames.joined(separator: "\n"),
                error: errors["hostnames"], hint: "Mỗi dòng một tên miền, ví dụ thptchuvanan.ninhbinh.edu.vn.",
                type: "textarea", maxlength: 4000),
            text("mailDomain", "Miền thư điện tử", input.mailDomain, hint: "Ví dụ: ninhbinh.edu.vn"),
            text("address", "Địa chỉ", input.address, autocomplete: "off"),
            text("phone", "Điện thoại", input.phone, type: "tel", autocomplete: "tel"),
            text("email", "Thư điện tử chính thức", input.email, hint: "Công khai trên cổng để tiếp nhận ý kiến (Điều 4.2).", type: "email"),
            text("headName", "Họ tên thủ trưởng đơn vị", input.headName),
            text("headTitle", "Chức vụ thủ trưởng", input.headTitle, hint: "Ví dụ: Giám đốc, Trưởng phòng, Hiệu trưởng."),
            text("portalContactName", "Đầu mối cổng thông tin: họ tên", input.portalContactName),
            text("portalContactEmail", "Đầu mối cổng thông tin: thư điện tử", input.portalContactEmail, type: "email"),
            text("portalContactPhone", "Đầu mối cổng thông tin: điện thoại", input.portalContactPhone, type: "tel"),
            text("mailContactName", "Đầu mối thư điện tử: họ tên", input.mailContactName),
            text("mailContactEmail", "Đầu mối thư điện tử: thư điện tử", input.mailContactEmail, type: "email"),
            text("mailContactPhone", "Đầu mối thư điện tử: điện thoại", input.mailContactPhone, type: "tel"),
        ]
        if security {
            fields.append(FormField(
                name: "requireTOTPForAdmins", label: "Bắt buộc xác thực hai bước cho tài khoản quản trị", error: nil,
                hint: "Áp dụng cho quản trị của đơn vị này và các đơn vị trực thuộc.", type: "checkbox",
                checked: input.requireTOTPForAdmins))
            fields.append(FormField(
                name: "monitoringScript", label: "Mã theo dõi của Hệ thống giám sát quốc gia (EMC): địa chỉ tệp script", value: input.monitoringScript,
                error: errors["monitoringScript"],
                hint: "Địa chỉ https:// do hệ thống EMC cấp cho cổng của đơn vị; để trống nếu chưa kết nối. Trang công khai tải mã từ địa chỉ này (không chèn mã trực tiếp vào trang).",
                type: "url", autocomplete: "off", maxlength: MonitoringScript.maxLength))
        }
        return fields
    }

    func unitForm(_ req: Request, admin: AdminContext, unit: ResolvedUnit, input: UnitService.Input,
                  errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let crumbs = try await Self.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Sửa thông tin", url: SiteURL.adminUnitEdit(code: .value(unit.code)).path)])
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Sửa thông tin: \(unit.name)", admin: true, breadcrumbs: crumbs),
            heading: "Sửa thông tin đơn vị", intro: unit.name + " (" + unit.type.label + ")",
            action: SiteURL.adminUnitEdit(code: .value(unit.code)).path, submitLabel: "Lưu thay đổi",
            fields: Self.unitFields(input, errors: errors, creating: false, childTypes: [], security: admin.may(.configureSecurity, on: unit)),
            cancelURL: SiteURL.adminUnit(code: .value(unit.code)).path)
        return req.render(page, status: status)
    }

    @Sendable func editUnitForm(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await unitForm(req, admin: admin, unit: unit, input: .init(unit))
    }

    @Sendable func editUnit(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        let input = UnitService.Input(form: try req.content.decode([String: String].self))
        let requested: [String]
        do {
            requested = try await UnitService.update(
                unit, with: input, securityAllowed: admin.may(.configureSecurity, on: unit), names: NameService.authority(admin, over: unit),
                baseDomain: req.config.baseDomain, monitoringHosts: req.config.monitoringScriptHosts, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await unitForm(req, admin: admin, unit: unit, input: input, errors: errors, status: .unprocessableEntity)
        }
        try await req.application.unitsChanged(on: req.db)
        return req.redirect(to: SiteURL.adminUnit(code: .value(unit.code)).path + (requested.isEmpty ? "?ok=unit-updated" : "?ok=unit-updated-names-requested"))
    }

    func childForm(_ req: Request, admin: AdminContext, parent: ResolvedUnit, input: UnitService.Input,
                   errors: FormErrors = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let rules = try await OrgUnit.treeRules(on: req.db)
        let crumbs = try await Self.breadcrumbs(req, admin: admin, unit: parent, extra: [.init(label: "Tạo đơn vị trực thuộc", url: SiteURL.adminUnitCreateChild(code: .value(parent.code)).path)])
        let page = FormPage(
            layout: LayoutVM.make(req, title: "Tạo đơn vị trực thuộc \(parent.name)", admin: true, breadcrumbs: crumbs),
            heading: "Tạo đơn vị trực thuộc", intro: "Đơn vị cấp trên: " + parent.name,
            action: SiteURL.adminUnitCreateChild(code: .value(parent.code)).path, submitLabel: "Tạo đơn vị",
            fields: Self.unitFields(input, errors: errors, creating: true, childTypes: rules.childTypes(of: parent.type), security: admin.may(.configureSecurity, on: parent)),
            cancelURL: SiteURL.adminUnit(code: .value(parent.code)).path)
        return req.render(page, status: status)
    }

    @Sendable func createChildForm(req: Request) async throws -> Response {
        let (admin, parent) = try req.scoped()
        return try await childForm(req, admin: admin, parent: parent, input: .init())
    }

    @Sendable func createChild(req: Request) async throws -> Response {
        let (admin, parent) = try req.scoped()
        let input = UnitService.Input(form: try req.content.decode([String: String].self))
        let child: OrgUnit
        do {
            child = try await UnitService.createChild(
                input, under: parent, securityAllowed: admin.may(.configureSecurity, on: parent),
                names: admin.may(.editUnit, on: parent) ? .ancestor : .unit, baseDomain: req.config.baseDomain,
                monitoringHosts: req.config.monitoringScriptHosts, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await childForm(req, admin: admin, parent: parent, input: input, errors: errors, status: .unprocessableEntity)
        }
        try await req.application.unitsChanged(on: req.db)
        return req.redirect(to: SiteURL.adminUnit(code: .value(child.code)).path + "?ok=unit-created")
    }
}
