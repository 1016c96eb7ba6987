import EduCore
import EduData
import EduMail
import Fluent
import Vapor

struct DeadlinesPage: PageView {
    static let template = "admin/deadlines"

    struct Row {
        let unit: String
        let category: String
        let interval: Int
        let lastPublished: String
        let due: String
        let daysOverdue: Int
        let writeURL: String
    }

    struct UnitCount {
        let unit: String
        let overdue: Int
    }

    let layout: LayoutVM
    let overdue: [Row]
    let upcoming: [Row]
    let perUnit: [UnitCount]
    /// Questions from the public past their answer date, per unit.
    let questions: [QuestionRow]

    /// Schools that have not filed a yearbook period already due.
    let yearbook: [YearbookRow]

    struct YearbookRow {
        let unit: String
        let period: String
        let due: String
        let url: String
    }

    struct QuestionRow {
        let unit: String
        let count: Int
        let oldestDue: String
        let url: String
    }
}

extension DeadlinesPage {
    /// The query that builds the page.
    static func query(_ req: Request, admin: AdminContext) async throws -> DeadlinesPage {
        let units = try await OperationsController.visibleUnits(req, admin: admin, action: .submitContent)
        guard !units.isEmpty else { throw AppError.forbidden }
        let statuses = try await DeadlineService.statuses(of: units, on: req.db)
        func row(_ status: DeadlineService.Status) -> DeadlinesPage.Row {
            .init(unit: status.unit.name, category: status.category.name, interval: status.category.updateIntervalDays ?? 0,
                  lastPublished: status.lastPublished.map(VietnameseDate.day) ?? "Chưa có bài", due: VietnameseDate.day(status.due),
                  daysOverdue: status.daysOverdue, writeURL: SiteURL.adminArticleNew(code: .value(status.unit.code)).path)
        }
        let overdue = statuses.filter { $0.daysOverdue >= 0 }.sorted { $0.daysOverdue > $1.daysOverdue }
        let soon = Date().addingTimeInterval(7 * 86_400)
        let upcoming = statuses.filter { $0.daysOverdue < 0 && $0.due < soon }.sorted { $0.due < $1.due }
        let counts = Dictionary(grouping: overdue, by: { $0.unit.name }).map { DeadlinesPage.UnitCount(unit: $0.key, overdue: $0.value.count) }
            .sorted { $0.overdue > $1.overdue || $0.overdue == $1.overdue && $0.unit < $1.unit }
        let page = DeadlinesPage(
            layout: LayoutVM.make(req, title: "Hạn cập nhật", admin: true,
                                  breadcrumbs: [.init(label: "Quản trị", url: SiteURL.adminHome.path), .init(label: "Hạn cập nhật", url: SiteURL.adminDeadlines.path)]),
            overdue: overdue.map(row), upcoming: upcoming.map(row), perUnit: counts,
            questions: try await QuestionService.overdue(in: try await OperationsController.visibleUnits(req, admin: admin, action: .reviewContent), on: req.db).map {
                QuestionRow(unit: $0.unit.name, count: $0.count, oldestDue: VietnameseDate.day($0.oldestDue),
                            url: SiteURL.adminQuestions(code: .value($0.unit.code)).path + "?trang-thai=qua-han")
            },
            yearbook: try await YearbookService.overdue(in: try await OperationsController.visibleUnits(req, admin: admin, action: .editUnit), on: req.db).map {
                YearbookRow(unit: $0.school.name, period: $0.period.label, due: VietnameseDate.dateTime($0.period.dueAt),
                            url: SiteURL.adminYearbook(code: .value($0.school.code)).path)
            })
        return page
    }
}
