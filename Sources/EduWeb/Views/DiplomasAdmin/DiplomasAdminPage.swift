import EduCore
import EduData
import EduImport
import Fluent
import Vapor

struct DiplomasAdminPage: PageView {
    static let template = "admin/diplomas"


    let layout: LayoutVM
    let unitName: String
    let count: String
    let action: String
    let kindField: FormField
    let result: String?
    let errors: [ImportErrorRow]
    let errorCount: String
    let uploadError: String?
    let publicURL: String
}

extension DiplomasAdminPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext, unit: ResolvedUnit, kind: String = "Bằng tốt nghiệp THPT", result: String? = nil,
                      errors: [ImportRowError] = [], errorCount: Int = 0, uploadError: String? = nil) async throws -> DiplomasAdminPage {
        let base = SiteURL.adminDiplomas(code: .value(unit.code)).path
        let crumbs = try await AdminController.breadcrumbs(req, admin: admin, unit: unit, extra: [.init(label: "Sổ văn bằng, chứng chỉ", url: base)])
        let count = try await Diploma.query(in: unit.id, on: req.db).count()
        let page = DiplomasAdminPage(
            layout: LayoutVM.make(req, title: "Sổ văn bằng, chứng chỉ – \(unit.name)", admin: true, breadcrumbs: crumbs), unitName: unit.name,
            count: VietnameseNumber.grouped(count), action: base,
            kindField: FormField(name: "kind", label: "Loại văn bằng, chứng chỉ (khi tệp không có cột «Loại văn bằng»)", value: kind, maxlength: 200),
            result: result, errors: errors.map(ImportErrorRow.init),
            errorCount: VietnameseNumber.grouped(errorCount), uploadError: uploadError, publicURL: SiteURL.diplomaLookup.path)
        return page
    }
}
