import EduCore
import Foundation
import Vapor

/// A path parameter: `.key` where a route is registered, `.value(…)` where a link is built
/// (SwiftPackageIndex-Server's `Parameter<T>`).
public enum Parameter<T: Sendable & Equatable & LosslessStringConvertible>: Sendable, Equatable {
    case key
    case value(T)

    var text: String? {
        switch self {
        case .key: nil
        case .value(let value): value.description
        }
    }
}

/// The one URL map: routes are registered from these cases (with `.key` parameters) and links are
/// built from the same cases (with `.value` parameters), so a link cannot point at a route that
/// does not exist.
public enum SiteURL: Sendable, Equatable {
    // public
    case home
    case healthz
    case metrics
    case staticAsset(file: Parameter<String>)
    case newsIndex
    case newsCategory(slug: Parameter<String>)
    case article(slug: Parameter<String>)
    case media(name: Parameter<String>)
    case documents
    case document(id: Parameter<String>)
    case intro
    case introPage(slug: Parameter<String>)
    case subUnits
    /// Every section of the portal in the navigation's groups, with news categories and introduction pages.
    case sectionIndex
    case search
    case rss
    case categoryRSS(slug: Parameter<String>)
    case sitemap
    case robots
    case contact
    case contactChallenge
    case admissions
    case admissionPlan(id: Parameter<String>)
    case admissionRegister(id: Parameter<String>)
    case admissionStatus
    case admissionChoices
    case adminAdmissions(code: Parameter<String>)
    case adminAdmissionPlan(code: Parameter<String>, id: Parameter<String>)
    case adminAdmissionReview(code: Parameter<String>, id: Parameter<String>, registration: Parameter<String>)
    case adminAdmissionExport(code: Parameter<String>, id: Parameter<String>, file: Parameter<String>)
    /// POST `diem` (score file), `phan-bo` (allocate), `cong-bo` (publish).
    case adminAdmissionStep(code: Parameter<String>, id: Parameter<String>, step: Parameter<String>)
    case adminAdmissionAttachment(code: Parameter<String>, id: Parameter<String>, registration: Parameter<String>, file: Parameter<String>)
    case admissionResults(id: Parameter<String>)
    case polls
    case disclosure
    case disclosureFile(id: Parameter<String>)
    case adminDisclosure(code: Parameter<String>)
    case adminDisclosureItem(code: Parameter<String>, item: Parameter<String>)
    case yearbook
    case yearbookCSV
    case yearbookXLSX
    case adminYearbook(code: Parameter<String>)
    case adminYearbookPeriod(code: Parameter<String>, period: Parameter<String>)
    case adminYearbookTemplate(code: Parameter<String>, period: Parameter<String>)
    case adminYearbookImport(code: Parameter<String>)
    case adminVisits(code: Parameter<String>)
    case procedures
    case procedure(id: Parameter<String>)
    case adminProcedures(code: Parameter<String>)
    case adminProcedureNew(code: Parameter<String>)
    case adminProcedure(code: Parameter<String>, id: Parameter<String>)
    case adminProcedurePublish(code: Parameter<String>, id: Parameter<String>)
    case adminProcedureFiles(code: Parameter<String>, id: Parameter<String>)
    case adminProcedureImport(code: Parameter<String>)
    case adminProcedureTemplate(code: Parameter<String>)
    case procurement
    case procurementItem(id: Parameter<String>)
    case adminProcurement(code: Parameter<String>)
    case adminProcurementNew(code: Parameter<String>)
    case adminProcurementItem(code: Parameter<String>, id: Parameter<String>)
    case adminProcurementPublish(code: Parameter<String>, id: Parameter<String>)
    case adminProcurementFiles(code: Parameter<String>, id: Parameter<String>)
    // inspection, evaluation and ranking of the units below (A16)
    case ranking
    case rankingRound(id: Parameter<String>)
    case rankingScorecard(id: Parameter<String>, unit: Parameter<String>)
    case adminEvaluation(code: Parameter<String>)
    case adminEvaluationCriterionNew(code: Parameter<String>)
    case adminEvaluationCriterion(code: Parameter<String>, id: Parameter<String>)
    case adminEvaluationCriteriaTemplate(code: Parameter<String>)
    case adminEvaluationAudit(code: Parameter<String>)
    case adminEvaluationCriteriaImport(code: Parameter<String>)
    case adminEvaluationRounds(code: Parameter<String>)
    case adminEvaluationRound(code: Parameter<String>, id: Parameter<String>)
    case adminEvaluationCompute(code: Parameter<String>, id: Parameter<String>)
    case adminEvaluationAdvance(code: Parameter<String>, id: Parameter<String>)
    case adminEvaluationXLSX(code: Parameter<String>, id: Parameter<String>)
    case adminEvaluationUnit(code: Parameter<String>, id: Parameter<String>, unit: Parameter<String>)
    case adminEvaluationResults(code: Parameter<String>)
    case adminEvaluationRespond(code: Parameter<String>, id: Parameter<String>)
    // deployment reports of a subtree, sent upward (A13–A15)
    case adminReport(code: Parameter<String>)
    case adminReportXLSX(code: Parameter<String>)
    case adminReportSubmit(code: Parameter<String>)
    case adminReportReceived(code: Parameter<String>, id: Parameter<String>)
    case adminReportReceivedXLSX(code: Parameter<String>, id: Parameter<String>)
    case adminReportRequests(code: Parameter<String>)
    case adminReportRequestStop(code: Parameter<String>, id: Parameter<String>)
    case adminEvaluationSchedule(code: Parameter<String>)
    // the circular's other information (A8.14, Article 10): one set of routes per section
    case infoSection(InfoSection.Key)
    case infoEntry(InfoSection.Key, id: Parameter<String>)
    case adminInfoSection(code: Parameter<String>, section: InfoSection.Key)
    case adminInfoEntryNew(code: Parameter<String>, section: InfoSection.Key)
    case adminInfoEntry(code: Parameter<String>, section: InfoSection.Key, id: Parameter<String>)
    case adminInfoEntryPublish(code: Parameter<String>, section: InfoSection.Key, id: Parameter<String>)
    case adminInfoEntryFiles(code: Parameter<String>, section: InfoSection.Key, id: Parameter<String>)
    case centres
    case adminCentres(code: Parameter<String>)
    case adminCentreNew(code: Parameter<String>)
    case adminCentre(code: Parameter<String>, id: Parameter<String>)
    case adminCentreImport(code: Parameter<String>)
    case adminCentreTemplate(code: Parameter<String>)
    case consultations
    case consultation(id: Parameter<String>)
    case adminConsultations(code: Parameter<String>)
    case adminConsultation(code: Parameter<String>, id: Parameter<String>)
    case adminConsultationComment(code: Parameter<String>, id: Parameter<String>, comment: Parameter<String>, step: Parameter<String>)
    case adminConsultationSummary(code: Parameter<String>, id: Parameter<String>)
    case adminConsultationFile(code: Parameter<String>, id: Parameter<String>, comment: Parameter<String>, file: Parameter<String>)
    case questions
    case question(id: Parameter<String>)
    case adminQuestions(code: Parameter<String>)
    case adminQuestion(code: Parameter<String>, id: Parameter<String>)
    case adminQuestionStep(code: Parameter<String>, id: Parameter<String>, step: Parameter<String>)
    case poll(id: Parameter<String>)
    case adminPolls(code: Parameter<String>)
    case adminPollClose(code: Parameter<String>, id: Parameter<String>)
    case adminMessages(code: Parameter<String>)
    case english
    case englishPage(slug: Parameter<String>)
    // API
    case apiOpenAPI
    case apiUnits
    case apiUnitYearbook(code: Parameter<String>)
    case apiResources
    case resources
    case resource(id: Parameter<String>)
    case adminResources(code: Parameter<String>)
    case adminResourceNew(code: Parameter<String>)
    case adminResource(code: Parameter<String>, id: Parameter<String>)
    case adminResourceTransition(code: Parameter<String>, id: Parameter<String>)
    case apiExams
    case apiExamResults(id: Parameter<String>)
    case apiExamStatistics(id: Parameter<String>)
    case apiDiplomas
    case examLookup
    case examResult
    case examStatistics(id: Parameter<String>)
    case diplomaLookup
    case adminExams(code: Parameter<String>)
    case adminExam(code: Parameter<String>, id: Parameter<String>)
    case adminExamUpload(code: Parameter<String>, id: Parameter<String>)
    case adminExamImport(code: Parameter<String>, id: Parameter<String>, importID: Parameter<String>)
    case adminExamImportResume(code: Parameter<String>, id: Parameter<String>, importID: Parameter<String>)
    case adminExamDelete(code: Parameter<String>, id: Parameter<String>)
    case adminDiplomas(code: Parameter<String>)
    case adminMail(code: Parameter<String>)
    case adminMailImport(code: Parameter<String>)
    case adminMailbox(code: Parameter<String>, id: Parameter<String>)
    case adminMailRegistration(code: Parameter<String>)
    case adminMailDomains(code: Parameter<String>)
    case adminMailboxes(code: Parameter<String>)
    case adminMailGroups(code: Parameter<String>)
    case adminMailDecision(code: Parameter<String>, id: Parameter<String>)
    // admin: session
    case login
    case loginSecondFactor
    case logout
    case adminSecondFactor
    case adminPassword
    case adminUserPasswordReset(code: Parameter<String>)
    // admin: units and accounts
    case adminHome
    case adminUnit(code: Parameter<String>)
    case adminUnitEdit(code: Parameter<String>)
    case adminUnitCreateChild(code: Parameter<String>)
    case adminUnitChange(code: Parameter<String>)
    case adminUserCreate(code: Parameter<String>)
    case adminGrant(code: Parameter<String>)
    case adminRevoke(code: Parameter<String>)
    case adminUserDisable(code: Parameter<String>)
    case adminAudit
    // admin: content
    case adminArticles(code: Parameter<String>)
    case adminArticleNew(code: Parameter<String>)
    case adminArticle(code: Parameter<String>, id: Parameter<String>)
    case adminArticleTransition(code: Parameter<String>, id: Parameter<String>)
    case adminArticleTakeOver(code: Parameter<String>, id: Parameter<String>)
    case adminArticleRevisions(code: Parameter<String>, id: Parameter<String>)
    case adminArticleRevision(code: Parameter<String>, id: Parameter<String>, number: Parameter<Int>)
    case adminArticleRestore(code: Parameter<String>, id: Parameter<String>, number: Parameter<Int>)
    case adminCategories(code: Parameter<String>)
    case adminNames(code: Parameter<String>)
    case adminNameDelegations(code: Parameter<String>)
    case adminNameDelegation(code: Parameter<String>, id: Parameter<String>)
    case adminNameRequest(code: Parameter<String>, id: Parameter<String>)
    case adminOutbox
    case adminDeadlines
    case adminMedia(code: Parameter<String>)
    case adminDocuments(code: Parameter<String>)
    case adminDocumentNew(code: Parameter<String>)
    case adminDocument(code: Parameter<String>, id: Parameter<String>)
    case adminDocumentTransition(code: Parameter<String>, id: Parameter<String>)
    case adminDocumentFiles(code: Parameter<String>, id: Parameter<String>)
    case adminIntro(code: Parameter<String>)
    case adminIntroPage(code: Parameter<String>, slug: Parameter<String>)
    case adminLeaders(code: Parameter<String>)
    case adminDepartments(code: Parameter<String>)

    /// Path components for route registration (`:name` for parameters, `**` for the rest).
    public var pathComponents: [String] {
        let unit = ["quan-tri", "don-vi", ":code"]
        let article = unit + ["bai-viet", ":id"]
        switch self {
        case .home: return []
        case .healthz: return ["healthz"]
        case .metrics: return ["metrics"]
        case .staticAsset: return ["static", "**"]
        case .newsIndex: return ["tin-tuc"]
        case .newsCategory: return ["tin-tuc", ":slug"]
        case .article: return ["bai-viet", ":slug"]
        case .media: return ["tep", ":name"]
        case .documents: return ["van-ban"]
        case .document: return ["van-ban", ":id"]
        case .intro: return ["gioi-thieu"]
        case .subUnits: return ["don-vi-truc-thuoc"]
        case .sectionIndex: return ["so-do-trang"]
        case .search: return ["tim-kiem"]
        case .rss: return ["rss.xml"]
        case .categoryRSS: return ["rss", ":file"]
        case .sitemap: return ["sitemap.xml"]
        case .robots: return ["robots.txt"]
        case .contact: return ["lien-he"]
        case .contactChallenge: return ["lien-he", "thu-thach"]
        case .admissions: return ["tuyen-sinh"]
        case .admissionPlan: return ["tuyen-sinh", ":id"]
        case .admissionRegister: return ["tuyen-sinh", ":id", "dang-ky"]
        case .admissionStatus: return ["tuyen-sinh", "tra-cuu"]
        case .admissionChoices: return ["tuyen-sinh", "tra-cuu", "nguyen-vong"]
        case .adminAdmissions: return unit + ["tuyen-sinh"]
        case .adminAdmissionPlan: return unit + ["tuyen-sinh", ":id"]
        case .adminAdmissionReview: return unit + ["tuyen-sinh", ":id", "ho-so", ":registration"]
        case .adminAdmissionExport: return unit + ["tuyen-sinh", ":id", ":file"]
        case .adminAdmissionStep: return unit + ["tuyen-sinh", ":id", ":step"]
        case .adminAdmissionAttachment: return unit + ["tuyen-sinh", ":id", "ho-so", ":registration", ":file"]
        case .admissionResults: return ["tuyen-sinh", ":id", "ket-qua"]
        case .polls: return ["binh-chon"]
        case .disclosure: return ["cong-khai"]
        case .disclosureFile: return ["cong-khai", "tep", ":id"]
        case .adminDisclosure: return unit + ["cong-khai"]
        case .adminDisclosureItem: return unit + ["cong-khai", ":item"]
        case .yearbook: return ["thong-ke"]
        case .yearbookCSV: return ["thong-ke.csv"]
        case .yearbookXLSX: return ["thong-ke.xlsx"]
        case .adminYearbook: return unit + ["thong-ke"]
        case .adminYearbookPeriod: return unit + ["thong-ke", ":period"]
        case .procedures: return ["thu-tuc-hanh-chinh"]
        case .procedure: return ["thu-tuc-hanh-chinh", ":id"]
        case .adminProcedures: return unit + ["thu-tuc-hanh-chinh"]
        case .adminProcedureNew: return unit + ["thu-tuc-hanh-chinh", "moi"]
        case .adminProcedure: return unit + ["thu-tuc-hanh-chinh", ":id"]
        case .adminProcedurePublish: return unit + ["thu-tuc-hanh-chinh", ":id", "dang"]
        case .adminProcedureFiles: return unit + ["thu-tuc-hanh-chinh", ":id", "tep"]
        case .adminProcedureImport: return unit + ["thu-tuc-hanh-chinh", "nhap"]
        case .adminProcedureTemplate: return unit + ["thu-tuc-hanh-chinh", "mau.xlsx"]
        case .procurement: return ["dau-thau"]
        case .procurementItem: return ["dau-thau", ":id"]
        case .adminProcurement: return unit + ["dau-thau"]
        case .adminProcurementNew: return unit + ["dau-thau", "moi"]
        case .adminProcurementItem: return unit + ["dau-thau", ":id"]
        case .adminProcurementPublish: return unit + ["dau-thau", ":id", "dang"]
        case .adminProcurementFiles: return unit + ["dau-thau", ":id", "tep"]
        case .ranking: return ["xep-hang"]
        case .rankingRound: return ["xep-hang", ":id"]
        case .rankingScorecard: return ["xep-hang", ":id", ":unit"]
        case .adminEvaluation: return unit + ["danh-gia"]
        case .adminEvaluationCriterionNew: return unit + ["danh-gia", "tieu-chi", "moi"]
        case .adminEvaluationCriterion: return unit + ["danh-gia", "tieu-chi", ":id"]
        case .adminEvaluationCriteriaTemplate: return unit + ["danh-gia", "tieu-chi", "tieu-chi.xlsx"]
        case .adminEvaluationAudit: return unit + ["danh-gia", "kiem-tra-cong-ngoai"]
        case .adminEvaluationCriteriaImport: return unit + ["danh-gia", "tieu-chi", "nhap"]
        case .adminEvaluationRounds: return unit + ["danh-gia", "dot"]
        case .adminEvaluationRound: return unit + ["danh-gia", "dot", ":id"]
        case .adminEvaluationCompute: return unit + ["danh-gia", "dot", ":id", "cham"]
        case .adminEvaluationAdvance: return unit + ["danh-gia", "dot", ":id", "buoc"]
        case .adminEvaluationXLSX: return unit + ["danh-gia", "dot", ":id", "ket-qua.xlsx"]
        case .adminEvaluationUnit: return unit + ["danh-gia", "dot", ":id", "don-vi", ":unit"]
        case .adminEvaluationResults: return unit + ["ket-qua-danh-gia"]
        case .adminEvaluationRespond: return unit + ["ket-qua-danh-gia", ":id"]
        case .adminReport: return unit + ["bao-cao-trien-khai"]
        case .adminReportXLSX: return unit + ["bao-cao-trien-khai", "bao-cao.xlsx"]
        case .adminReportSubmit: return unit + ["bao-cao-trien-khai", "gui"]
        case .adminReportReceived: return unit + ["bao-cao-trien-khai", "da-nhan", ":id"]
        case .adminReportReceivedXLSX: return unit + ["bao-cao-trien-khai", "da-nhan", ":id", "bao-cao.xlsx"]
        case .adminReportRequests: return unit + ["bao-cao-trien-khai", "yeu-cau"]
        case .adminReportRequestStop: return unit + ["bao-cao-trien-khai", "yeu-cau", ":id", "dung"]
        case .adminEvaluationSchedule: return unit + ["danh-gia", "lich"]
        case .infoSection(let key): return [key.rawValue]
        case .infoEntry(let key, _): return [key.rawValue, ":id"]
        case .adminInfoSection(_, let key): return unit + [key.rawValue]
        case .adminInfoEntryNew(_, let key): return unit + [key.rawValue, "moi"]
        case .adminInfoEntry(_, let key, _): return unit + [key.rawValue, ":id"]
        case .adminInfoEntryPublish(_, let key, _): return unit + [key.rawValue, ":id", "dang"]
        case .adminInfoEntryFiles(_, let key, _): return unit + [key.rawValue, ":id", "tep"]
        case .centres: return ["trung-tam"]
        case .adminCentres: return unit + ["trung-tam"]
        case .adminCentreNew: return unit + ["trung-tam", "moi"]
        case .adminCentre: return unit + ["trung-tam", ":id"]
        case .adminCentreImport: return unit + ["trung-tam", "nhap"]
        case .adminCentreTemplate: return unit + ["trung-tam", "mau.xlsx"]
        case .adminYearbookTemplate: return unit + ["thong-ke", ":period", "mau.xlsx"]
        case .adminYearbookImport: return unit + ["thong-ke", "nhap"]
        case .adminVisits: return unit + ["luot-truy-cap"]
        case .consultations: return ["lay-y-kien"]
        case .consultation: return ["lay-y-kien", ":id"]
        case .adminConsultations: return unit + ["lay-y-kien"]
        case .adminConsultation: return unit + ["lay-y-kien", ":id"]
        case .adminConsultationComment: return unit + ["lay-y-kien", ":id", "gop-y", ":comment", ":step"]
        case .adminConsultationSummary: return unit + ["lay-y-kien", ":id", "tong-hop"]
        case .adminConsultationFile: return unit + ["lay-y-kien", ":id", "gop-y", ":comment", "tep", ":file"]
        case .questions: return ["hoi-dap"]
        case .question: return ["hoi-dap", ":id"]
        case .adminQuestions: return unit + ["hoi-dap"]
        case .adminQuestion: return unit + ["hoi-dap", ":id"]
        case .adminQuestionStep: return unit + ["hoi-dap", ":id", ":step"]
        case .poll: return ["binh-chon", ":id"]
        case .adminPolls: return unit + ["binh-chon"]
        case .adminPollClose: return unit + ["binh-chon", ":id", "dong"]
        case .adminMessages: return unit + ["y-kien"]
        case .english: return ["en"]
        case .englishPage: return ["en", ":slug"]
        case .introPage: return ["gioi-thieu", ":slug"]
        case .apiOpenAPI: return ["api", "v1", "openapi.json"]
        case .apiUnits: return ["api", "v1", "units"]
        case .apiUnitYearbook: return ["api", "v1", "units", ":code", "yearbook"]
        case .apiResources: return ["api", "v1", "resources"]
        case .resources: return ["tai-nguyen"]
        case .resource: return ["tai-nguyen", ":id"]
        case .adminResources: return unit + ["tai-nguyen"]
        case .adminResourceNew: return unit + ["tai-nguyen", "moi"]
        case .adminResource: return unit + ["tai-nguyen", ":id"]
        case .adminResourceTransition: return unit + ["tai-nguyen", ":id", "quy-trinh"]
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
        case .adminExamImportResume: return unit + ["ky-thi", ":id", "nhap", ":import", "tiep-tuc"]
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
        case .adminPassword: return ["quan-tri", "tai-khoan", "mat-khau"]
        case .adminUserPasswordReset: return unit + ["dat-lai-mat-khau"]
        case .adminHome: return ["quan-tri"]
        case .adminUnit: return unit
        case .adminUnitEdit: return unit + ["sua"]
        case .adminUnitCreateChild: return unit + ["tao-don-vi-truc-thuoc"]
        case .adminUnitChange: return unit + ["thay-doi-to-chuc"]
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
        case .adminNames: return unit + ["ten-mien"]
        case .adminNameDelegations: return unit + ["ten-mien", "giao"]
        case .adminNameDelegation: return unit + ["ten-mien", "giao", ":id"]
        case .adminNameRequest: return unit + ["ten-mien", "yeu-cau", ":id"]
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

    /// Each parameter of the path by its component name, with its value (nil for a route key).
    /// Exhaustive: a new case with parameters does not compile until it says what they are.
    var parameters: [(component: String, value: String?)] {
        switch self {
        case .home: []
        case .healthz, .metrics: []
        case .staticAsset(let file): [("**", file.text)]
        case .newsIndex: []
        case .newsCategory(let slug): [(":slug", slug.text)]
        case .article(let slug): [(":slug", slug.text)]
        case .media(let name): [(":name", name.text)]
        case .documents: []
        case .document(let id): [(":id", id.text)]
        case .intro: []
        case .introPage(let slug): [(":slug", slug.text)]
        case .subUnits: []
        case .sectionIndex: []
        case .search: []
        case .rss: []
        case .categoryRSS(let slug): [(":file", slug.text.map { $0 + ".xml" })]
        case .sitemap: []
        case .robots: []
        case .contact: []
        case .contactChallenge: []
        case .admissions: []
        case .admissionPlan(let id): [(":id", id.text)]
        case .admissionRegister(let id): [(":id", id.text)]
        case .admissionStatus: []
        case .admissionChoices: []
        case .adminAdmissions(let code): [(":code", code.text)]
        case .adminAdmissionPlan(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminAdmissionReview(let code, let id, let registration): [(":code", code.text), (":id", id.text), (":registration", registration.text)]
        case .adminAdmissionExport(let code, let id, let file): [(":code", code.text), (":id", id.text), (":file", file.text)]
        case .adminAdmissionStep(let code, let id, let step): [(":code", code.text), (":id", id.text), (":step", step.text)]
        case .adminAdmissionAttachment(let code, let id, let registration, let file):
            [(":code", code.text), (":id", id.text), (":registration", registration.text), (":file", file.text)]
        case .admissionResults(let id): [(":id", id.text)]
        case .polls: []
        case .yearbook, .yearbookCSV, .yearbookXLSX, .disclosure: []
        case .disclosureFile(let id): [(":id", id.text)]
        case .adminDisclosure(let code): [(":code", code.text)]
        case .adminDisclosureItem(let code, let item): [(":code", code.text), (":item", item.text)]
        case .adminYearbook(let code): [(":code", code.text)]
        case .adminYearbookPeriod(let code, let period), .adminYearbookTemplate(let code, let period): [(":code", code.text), (":period", period.text)]
        case .adminYearbookImport(let code): [(":code", code.text)]
        case .adminVisits(let code): [(":code", code.text)]
        case .procedures: []
        case .procedure(let id): [(":id", id.text)]
        case .adminProcedures(let code), .adminProcedureNew(let code), .adminProcedureImport(let code), .adminProcedureTemplate(let code): [(":code", code.text)]
        case .adminProcedure(let code, let id), .adminProcedurePublish(let code, let id), .adminProcedureFiles(let code, let id): [(":code", code.text), (":id", id.text)]
        case .procurement: []
        case .procurementItem(let id): [(":id", id.text)]
        case .adminProcurement(let code), .adminProcurementNew(let code): [(":code", code.text)]
        case .adminProcurementItem(let code, let id), .adminProcurementPublish(let code, let id), .adminProcurementFiles(let code, let id): [(":code", code.text), (":id", id.text)]
        case .ranking: []
        case .rankingRound(let id): [(":id", id.text)]
        case .rankingScorecard(let id, let unit): [(":id", id.text), (":unit", unit.text)]
        case .adminEvaluation(let code), .adminEvaluationCriterionNew(let code), .adminEvaluationRounds(let code), .adminEvaluationResults(let code),
             .adminEvaluationCriteriaTemplate(let code), .adminEvaluationCriteriaImport(let code), .adminEvaluationAudit(let code):
            [(":code", code.text)]
        case .adminEvaluationCriterion(let code, let id), .adminEvaluationRound(let code, let id), .adminEvaluationCompute(let code, let id),
             .adminEvaluationAdvance(let code, let id), .adminEvaluationXLSX(let code, let id), .adminEvaluationRespond(let code, let id):
            [(":code", code.text), (":id", id.text)]
        case .adminEvaluationUnit(let code, let id, let unit): [(":code", code.text), (":id", id.text), (":unit", unit.text)]
        case .adminReport(let code), .adminReportXLSX(let code), .adminReportSubmit(let code), .adminReportRequests(let code), .adminEvaluationSchedule(let code):
            [(":code", code.text)]
        case .adminReportReceived(let code, let id), .adminReportReceivedXLSX(let code, let id), .adminReportRequestStop(let code, let id):
            [(":code", code.text), (":id", id.text)]
        case .infoSection: []
        case .infoEntry(_, let id): [(":id", id.text)]
        case .adminInfoSection(let code, _), .adminInfoEntryNew(let code, _): [(":code", code.text)]
        case .adminInfoEntry(let code, _, let id), .adminInfoEntryPublish(let code, _, let id), .adminInfoEntryFiles(let code, _, let id):
            [(":code", code.text), (":id", id.text)]
        case .centres: []
        case .adminCentres(let code), .adminCentreNew(let code), .adminCentreImport(let code), .adminCentreTemplate(let code): [(":code", code.text)]
        case .adminCentre(let code, let id): [(":code", code.text), (":id", id.text)]
        case .consultations: []
        case .consultation(let id): [(":id", id.text)]
        case .adminConsultations(let code): [(":code", code.text)]
        case .adminConsultation(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminConsultationComment(let code, let id, let comment, let step):
            [(":code", code.text), (":id", id.text), (":comment", comment.text), (":step", step.text)]
        case .adminConsultationSummary(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminConsultationFile(let code, let id, let comment, let file):
            [(":code", code.text), (":id", id.text), (":comment", comment.text), (":file", file.text)]
        case .questions: []
        case .question(let id): [(":id", id.text)]
        case .adminQuestions(let code): [(":code", code.text)]
        case .adminQuestion(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminQuestionStep(let code, let id, let step): [(":code", code.text), (":id", id.text), (":step", step.text)]
        case .poll(let id): [(":id", id.text)]
        case .adminPolls(let code): [(":code", code.text)]
        case .adminPollClose(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminMessages(let code): [(":code", code.text)]
        case .english: []
        case .englishPage(let slug): [(":slug", slug.text)]
        case .apiOpenAPI, .apiUnits: []
        case .apiUnitYearbook(let code): [(":code", code.text)]
        case .apiResources, .resources: []
        case .resource(let id): [(":id", id.text)]
        case .adminResources(let code), .adminResourceNew(let code): [(":code", code.text)]
        case .adminResource(let code, let id), .adminResourceTransition(let code, let id): [(":code", code.text), (":id", id.text)]
        case .apiExams: []
        case .apiExamResults(let id): [(":id", id.text)]
        case .apiExamStatistics(let id): [(":id", id.text)]
        case .apiDiplomas: []
        case .examLookup: []
        case .examResult: []
        case .examStatistics(let id): [(":id", id.text)]
        case .diplomaLookup: []
        case .adminExams(let code): [(":code", code.text)]
        case .adminExam(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminExamUpload(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminExamImport(let code, let id, let importID): [(":code", code.text), (":id", id.text), (":import", importID.text)]
        case .adminExamImportResume(let code, let id, let importID): [(":code", code.text), (":id", id.text), (":import", importID.text)]
        case .adminExamDelete(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminDiplomas(let code): [(":code", code.text)]
        case .adminMail(let code): [(":code", code.text)]
        case .adminMailImport(let code): [(":code", code.text)]
        case .adminMailbox(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminMailRegistration(let code): [(":code", code.text)]
        case .adminMailDomains(let code): [(":code", code.text)]
        case .adminMailboxes(let code): [(":code", code.text)]
        case .adminMailGroups(let code): [(":code", code.text)]
        case .adminMailDecision(let code, let id): [(":code", code.text), (":id", id.text)]
        case .login: []
        case .loginSecondFactor: []
        case .logout: []
        case .adminSecondFactor, .adminPassword: []
        case .adminUserPasswordReset(let code): [(":code", code.text)]
        case .adminHome: []
        case .adminUnit(let code): [(":code", code.text)]
        case .adminUnitEdit(let code): [(":code", code.text)]
        case .adminUnitCreateChild(let code): [(":code", code.text)]
        case .adminUnitChange(let code): [(":code", code.text)]
        case .adminUserCreate(let code): [(":code", code.text)]
        case .adminGrant(let code): [(":code", code.text)]
        case .adminRevoke(let code): [(":code", code.text)]
        case .adminUserDisable(let code): [(":code", code.text)]
        case .adminAudit: []
        case .adminArticles(let code): [(":code", code.text)]
        case .adminArticleNew(let code): [(":code", code.text)]
        case .adminArticle(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminArticleTransition(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminArticleTakeOver(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminArticleRevisions(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminArticleRevision(let code, let id, let number): [(":code", code.text), (":id", id.text), (":number", number.text)]
        case .adminArticleRestore(let code, let id, let number): [(":code", code.text), (":id", id.text), (":number", number.text)]
        case .adminCategories(let code): [(":code", code.text)]
        case .adminNames(let code), .adminNameDelegations(let code): [(":code", code.text)]
        case .adminNameDelegation(let code, let id), .adminNameRequest(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminOutbox: []
        case .adminDeadlines: []
        case .adminMedia(let code): [(":code", code.text)]
        case .adminDocuments(let code): [(":code", code.text)]
        case .adminDocumentNew(let code): [(":code", code.text)]
        case .adminDocument(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminDocumentTransition(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminDocumentFiles(let code, let id): [(":code", code.text), (":id", id.text)]
        case .adminIntro(let code): [(":code", code.text)]
        case .adminIntroPage(let code, let slug): [(":code", code.text), (":slug", slug.text)]
        case .adminLeaders(let code): [(":code", code.text)]
        case .adminDepartments(let code): [(":code", code.text)]
        }
    }

    /// The finished path for a link. A route key (`.key`) keeps its `:name` placeholder, which no
    /// route answers: a link is only ever built from values.
    public var path: String {
        let values = Dictionary(parameters.map { ($0.component, $0.value) }, uniquingKeysWith: { first, _ in first })
        let parts = pathComponents.map { component -> String in
            guard let known = values[component], let value = known else { return component }
            return component == "**" ? value : (value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? value)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// For route registration.
    var routePath: [PathComponent] { pathComponents.map(PathComponent.init(stringLiteral:)) }
}

extension RoutesBuilder {
    @discardableResult
    func get(_ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        get(url.routePath, use: closure)
    }

    @discardableResult
    func post(_ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        post(url.routePath, use: closure)
    }
}
