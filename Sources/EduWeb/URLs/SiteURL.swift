import Foundation
import Vapor

/// The one URL map: routes are registered from these paths and links are built from them, so a
/// link cannot point at a route that does not exist.
public enum SiteURL: Sendable, Equatable {
    // public
    case home
    case healthz
    case staticAsset(String)
    case newsIndex
    case newsCategory(slug: String)
    case article(slug: String)
    case media(name: String)
    case documents
    case document(id: String)
    case intro
    case introPage(slug: String)
    case subUnits
    case search
    case rss
    case categoryRSS(slug: String)
    case sitemap
    case robots
    case contact
    case contactChallenge
    case adminMessages(code: String)
    case english
    case englishPage(slug: String)
    // API
    case apiUnits
    case apiExams
    case apiExamResults(id: String)
    case apiExamStatistics(id: String)
    case apiDiplomas
    case examLookup
    case examResult
    case examStatistics(id: String)
    case diplomaLookup
    case adminExams(code: String)
    case adminExam(code: String, id: String)
    case adminExamUpload(code: String, id: String)
    case adminExamImport(code: String, id: String, importID: String)
    case adminExamDelete(code: String, id: String)
    case adminDiplomas(code: String)
    case adminMail(code: String)
    case adminMailImport(code: String)
    case adminMailbox(code: String, id: String)
    case adminMailRegistration(code: String)
    case adminMailDomains(code: String)
    case adminMailboxes(code: String)
    case adminMailGroups(code: String)
    case adminMailDecision(code: String, id: String)
    // admin: session
    case login
    case loginSecondFactor
    case logout
    case adminSecondFactor
    // admin: units and accounts
    case adminHome
    case adminUnit(code: String)
    case adminUnitEdit(code: String)
    case adminUnitCreateChild(code: String)
    case adminUserCreate(code: String)
    case adminGrant(code: String)
    case adminRevoke(code: String)
    case adminUserDisable(code: String)
    case adminAudit
    // admin: content
    case adminArticles(code: String)
    case adminArticleNew(code: String)
    case adminArticle(code: String, id: String)
    case adminArticleTransition(code: String, id: String)
    case adminArticleTakeOver(code: String, id: String)
    case adminArticleRevisions(code: String, id: String)
    case adminArticleRevision(code: String, id: String, number: Int)
    case adminArticleRestore(code: String, id: String, number: Int)
    case adminCategories(code: String)
    case adminOutbox
    case adminDeadlines
    case adminMedia(code: String)
    case adminDocuments(code: String)
    case adminDocumentNew(code: String)
    case adminDocument(code: String, id: String)
    case adminDocumentTransition(code: String, id: String)
    case adminDocumentFiles(code: String, id: String)
    case adminIntro(code: String)
    case adminIntroPage(code: String, slug: String)
    case adminLeaders(code: String)
    case adminDepartments(code: String)

    /// Path components for route registration (`:name` for parameters, `**` for the rest).
    public var pathComponents: [String] {
        let unit = ["quan-tri", "don-vi", ":code"]
        let article = unit + ["bai-viet", ":id"]
        switch self {
        case .home: return []
        case .healthz: return ["healthz"]
        case .staticAsset: return ["static", "**"]
        case .newsIndex: return ["tin-tuc"]
        case .newsCategory: return ["tin-tuc", ":slug"]
        case .article: return ["bai-viet", ":slug"]
        case .media: return ["tep", ":name"]
        case .documents: return ["van-ban"]
        case .document: return ["van-ban", ":id"]
        case .intro: return ["gioi-thieu"]
        case .subUnits: return ["don-vi-truc-thuoc"]
        case .search: return ["tim-kiem"]
        case .rss: return ["rss.xml"]
        case .categoryRSS: return ["rss", ":file"]
        case .sitemap: return ["sitemap.xml"]
        case .robots: return ["robots.txt"]
        case .contact: return ["lien-he"]
        case .contactChallenge: return ["lien-he", "thu-thach"]
        case .adminMessages: return unit + ["y-kien"]
        case .english: return ["en"]
        case .englishPage: return ["en", ":slug"]
        case .introPage: return ["gioi-thieu", ":slug"]
        case .apiUnits: return ["api", "v1", "units"]
        case .apiExams: return ["api", "v1", "exams"]
        case .apiExamResults: return ["api", "v1", "exams", ":id", "results"]
        case .apiExamStatistics: return ["api", "v1", "exams", ":id", "statistics"]
        case .apiDiplomas: return ["api", "v1", "diplomas"]
        case .examLookup: return ["tra-cuu-diem-thi"]
        case .examResult: return ["tra-cuu-diem-thi", "ket-qua"]
        case .examStatistics: return ["tra-cuu-diem-thi", "pho-diem", ":id"]
        case .diplomaLookup: return ["tra-cuu-van-bang"]
        case .adminExams: return unit + ["ky-thi"]
        case .adminExam: return unit + ["ky-thi", ":id"]
        case .adminExamUpload: return unit + ["ky-thi", ":id", "nhap"]
        case .adminExamImport: return unit + ["ky-thi", ":id", "nhap", ":import"]
        case .adminExamDelete: return unit + ["ky-thi", ":id", "xoa"]
        case .adminDiplomas: return unit + ["van-bang"]
        case .adminMail: return unit + ["thu-dien-tu"]
        case .adminMailImport: return unit + ["thu-dien-tu", "nhap-danh-sach"]
        case .adminMailbox: return unit + ["thu-dien-tu", "hop-thu", ":id"]
        case .adminMailRegistration: return unit + ["thu-dien-tu", "dang-ky"]
        case .adminMailDomains: return unit + ["thu-dien-tu", "ten-mien"]
        case .adminMailboxes: return unit + ["thu-dien-tu", "hop-thu"]
        case .adminMailGroups: return unit + ["thu-dien-tu", "nhom"]
        case .adminMailDecision: return unit + ["thu-dien-tu", "dang-ky", ":id"]
        case .login: return ["quan-tri", "dang-nhap"]
        case .loginSecondFactor: return ["quan-tri", "dang-nhap", "ma-xac-thuc"]
        case .logout: return ["quan-tri", "dang-xuat"]
        case .adminSecondFactor: return ["quan-tri", "tai-khoan", "xac-thuc-hai-buoc"]
        case .adminHome: return ["quan-tri"]
        case .adminUnit: return unit
        case .adminUnitEdit: return unit + ["sua"]
        case .adminUnitCreateChild: return unit + ["tao-don-vi-truc-thuoc"]
        case .adminUserCreate: return unit + ["tao-tai-khoan"]
        case .adminGrant: return unit + ["phan-quyen"]
        case .adminRevoke: return unit + ["thu-hoi-quyen"]
        case .adminUserDisable: return unit + ["khoa-tai-khoan"]
        case .adminAudit: return ["quan-tri", "nhat-ky"]
        case .adminArticles: return unit + ["bai-viet"]
        case .adminArticleNew: return unit + ["bai-viet", "moi"]
        case .adminArticle: return article
        case .adminArticleTransition: return article + ["chuyen-trang-thai"]
        case .adminArticleTakeOver: return article + ["tiep-quan"]
        case .adminArticleRevisions: return article + ["phien-ban"]
        case .adminArticleRevision: return article + ["phien-ban", ":number"]
        case .adminArticleRestore: return article + ["phien-ban", ":number", "khoi-phuc"]
        case .adminCategories: return unit + ["chuyen-muc"]
        case .adminOutbox: return ["quan-tri", "hop-thu-di"]
        case .adminDeadlines: return ["quan-tri", "han-cap-nhat"]
        case .adminMedia: return unit + ["tep"]
        case .adminDocuments: return unit + ["van-ban"]
        case .adminDocumentNew: return unit + ["van-ban", "moi"]
        case .adminDocument: return unit + ["van-ban", ":id"]
        case .adminDocumentTransition: return unit + ["van-ban", ":id", "chuyen-trang-thai"]
        case .adminDocumentFiles: return unit + ["van-ban", ":id", "tep"]
        case .adminIntro: return unit + ["gioi-thieu"]
        case .adminIntroPage: return unit + ["gioi-thieu", ":slug"]
        case .adminLeaders: return unit + ["lanh-dao"]
        case .adminDepartments: return unit + ["co-cau-to-chuc"]
        }
    }

    /// The values of the path's parameters.
    var parameters: [String: String] {
        switch self {
        case .staticAsset(let file): ["**": file]
        case .newsCategory(let slug), .article(let slug), .introPage(let slug), .englishPage(let slug): [":slug": slug]
        case .media(let name): [":name": name]
        case .categoryRSS(let slug): [":file": slug + ".xml"]
        case .document(let id), .apiExamResults(let id), .apiExamStatistics(let id), .examStatistics(let id): [":id": id]
        case .adminExam(let code, let id), .adminExamUpload(let code, let id), .adminExamDelete(let code, let id), .adminMailbox(let code, let id),
            .adminMailDecision(let code, let id):
            [":code": code, ":id": id]
        case .adminExamImport(let code, let id, let importID): [":code": code, ":id": id, ":import": importID]
        case .adminIntroPage(let code, let slug): [":code": code, ":slug": slug]
        case .adminDocument(let code, let id), .adminDocumentTransition(let code, let id), .adminDocumentFiles(let code, let id):
            [":code": code, ":id": id]
        case .adminUnit(let code), .adminUnitEdit(let code), .adminUnitCreateChild(let code), .adminUserCreate(let code),
            .adminGrant(let code), .adminRevoke(let code), .adminUserDisable(let code), .adminArticles(let code),
            .adminArticleNew(let code), .adminCategories(let code), .adminMedia(let code), .adminDocuments(let code),
            .adminDocumentNew(let code), .adminIntro(let code), .adminLeaders(let code), .adminDepartments(let code),
            .adminMessages(let code), .adminExams(let code), .adminDiplomas(let code),
            .adminMail(let code), .adminMailImport(let code), .adminMailRegistration(let code),
            .adminMailDomains(let code), .adminMailboxes(let code), .adminMailGroups(let code):
            [":code": code]
        case .adminArticle(let code, let id), .adminArticleTransition(let code, let id), .adminArticleTakeOver(let code, let id),
            .adminArticleRevisions(let code, let id):
            [":code": code, ":id": id]
        case .adminArticleRevision(let code, let id, let number), .adminArticleRestore(let code, let id, let number):
            [":code": code, ":id": id, ":number": String(number)]
        default: [:]
        }
    }

    /// The finished path for a link.
    public var path: String {
        let values = parameters
        let parts = pathComponents.map { component -> String in
            guard let value = values[component] else { return component }
            return component == "**" ? value : (value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? value)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// For route registration.
    var routePath: [PathComponent] { pathComponents.map(PathComponent.init(stringLiteral:)) }
}
