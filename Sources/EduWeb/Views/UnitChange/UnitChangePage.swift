import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/<code>/thay-doi-to-chuc`: move the unit under another managing unit, merge
/// it into another unit, or dissolve it; only the units this person may rearrange are offered.
struct UnitChangePage: PageView {
    static let template = "admin/unit-change"

    let layout: LayoutVM
    let name: String
    let parentName: String
    let action: String
    let failure: String?
    let move: [FormField]
    let merge: [FormField]
    let dissolve: [FormField]
    let canMove: Bool
    let canMerge: Bool
}

extension UnitChangePage {
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, errors: FormErrors = [:]) async throws -> UnitChangePage {
        let record = try await unit.record(on: req.db)
        let parent = try await UnitChangeService.parent(of: record, on: req.db)
        let rules = try await OrgUnit.treeRules(on: req.db)
        let authority = UnitChangeService.Authority.admin(admin)
        let everyone = try await OrgUnit.query(on: req.db).filter(\.$stateCode == UnitState.active.rawValue).sort(\.$path).all()
        let outside = everyone.filter { !UnitChangeService.isWithin($0, record) }
        let parents = outside.filter { $0.id != record.parentID && rules.allows(parent: $0.type, child: record.type) && authority.mayRearrange(at: $0) }
        var successors: [OrgUnit] = []
        let byID = Dictionary(uniqueKeysWithValues: everyone.compactMap { u in u.id.map { ($0, u) } })
        for candidate in outside where candidate.parentID != nil {
            if authority.mayRearrange(at: candidate.parentID.flatMap { byID[$0] }) { successors.append(candidate) }
        }
        func options(_ units: [OrgUnit]) -> [FormField.Option] {
            [.init(value: "", label: "— Chọn đơn vị —", selected: true)]
                + units.map { .init(value: $0.code, label: String(repeating: "· ", count: max(0, $0.depth)) + "\($0.name) (\($0.type.label))", selected: false) }
        }
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [
            .init(label: "Thay đổi tổ chức", url: SiteURL.adminUnitChange(code: .value(unit.code)).path),
        ])
        return UnitChangePage(
            layout: LayoutVM.make(req, title: "Thay đổi tổ chức – \(unit.name)", admin: true, breadcrumbs: crumbs),
            name: unit.name, parentName: parent?.name ?? "", action: SiteURL.adminUnitChange(code: .value(unit.code)).path,
            failure: errors.isEmpty ? nil : errors.messagesWithoutFields.joined(separator: " "),
            move: [FormField(name: "parent", label: "Đơn vị quản lý mới", error: errors["parent"], type: "select", required: true, options: options(parents))],
            merge: [
                FormField(name: "successor", label: "Sáp nhập vào", error: errors["successor"], type: "select", required: true, options: options(successors)),
                FormField(name: "confirmMerge", label: "Tôi hiểu: đơn vị này chấm dứt; tin bài, văn bản, tệp chuyển về đơn vị nhận; tên miền chuyển hướng; tài khoản của đơn vị bị khóa và được báo qua thư.",
                          error: errors["confirmMerge"], type: "checkbox"),
            ],
            dissolve: [
                FormField(name: "confirmDissolve", label: "Tôi hiểu: đơn vị này chấm dứt; \(parent?.name ?? "đơn vị quản lý") tiếp nhận nội dung và tên miền; tài khoản của đơn vị bị khóa và được báo qua thư.",
                          error: errors["confirmDissolve"], type: "checkbox"),
            ],
            canMove: !parents.isEmpty, canMerge: !successors.isEmpty)
    }
}
