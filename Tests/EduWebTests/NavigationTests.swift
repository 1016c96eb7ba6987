import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// The navigation in groups (#19 point 1): every section of a unit's type sits in exactly one
/// group, the page's own section and its group are marked, the menu is a `<details>` that opens
/// without a script, and `/so-do-trang` lists every section with the pages below them.
@Suite struct NavigationTests {
    @Test func everySectionIsInExactlyOneGroup() {
        for type in UnitType.allCases {
            let sections = PortalSections.forType(type)
            let groups = PortalSections.groups(for: type)
            let grouped = groups.flatMap(\.sections)
            #expect(grouped.count == sections.count, "\(type): \(grouped.count) grouped of \(sections.count)")
            #expect(Set(grouped.map(\.path)) == Set(sections.map(\.path)), "\(type)")
            #expect(groups.allSatisfy { !$0.sections.isEmpty }, "\(type): an empty group")
            #expect(Set(groups.map(\.title)).count == groups.count, "\(type): two groups with one name")
            // Few enough to stand in one row on a desktop: the circular's twenty entries did not.
            #expect(groups.count <= 8, "\(type): \(groups.count) groups")
            // Each group keeps the circular's order of its sections.
            for group in groups {
                let order = group.sections.compactMap { section in sections.firstIndex { $0.path == section.path } }
                #expect(order == order.sorted(), "\(type) \(group.title)")
            }
        }
        // What people look for where they look for it.
        let so = PortalSections.groups(for: .so)
        func group(of path: String) -> String? { so.first { $0.sections.contains { $0.path == path } }?.title }
        #expect(group(of: "/tra-cuu-diem-thi") == "Dịch vụ, tra cứu" && group(of: "/tra-cuu-van-bang") == "Dịch vụ, tra cứu")
        #expect(group(of: "/thu-tuc-hanh-chinh") == group(of: "/van-ban"))
        #expect(group(of: "/tin-tuc/pho-bien-phap-luat") == "Tin tức" && group(of: "/hoi-dap") == group(of: "/lay-y-kien"))
        #expect(so.last?.group == .english && so.last?.sections.map(\.path) == ["/en/"])
    }

    @Test func thePageSectionAndItsGroupAreMarked() {
        let groups = PortalSections.groups(for: .so)
        func marked(_ path: String) -> (groups: [String], items: [String]) {
            let nav = PublicFrame.nav(groups, path: path)
            return (nav.filter(\.current).map(\.title), nav.flatMap(\.items).filter(\.current).map(\.url))
        }
        // The longest matching section wins: a law article is under «Phổ biến pháp luật», not «Tin tức - Sự kiện».
        #expect(marked("/tin-tuc/pho-bien-phap-luat/bai-1") == (["Tin tức"], ["/tin-tuc/pho-bien-phap-luat"]))
        #expect(marked("/tin-tuc/thong-bao") == (["Tin tức"], ["/tin-tuc"]))
        #expect(marked("/tra-cuu-diem-thi/ket-qua") == (["Dịch vụ, tra cứu"], ["/tra-cuu-diem-thi"]))
        #expect(marked("/").groups.isEmpty && marked("/tin-tucx").groups.isEmpty)
        // A group of one section is a plain link, marked itself.
        let school = PublicFrame.nav(PortalSections.groups(for: .thcs), path: "/lien-he")
        let contact = school.first { $0.title == "Liên hệ" }
        #expect(contact?.link?.url == "/lien-he" && contact?.link?.current == true)
        #expect(school.filter { $0.link == nil }.allSatisfy { $0.items.count > 1 })
    }

    @Test func theMenuAndTheSectionIndexServeEverySection() async throws {
        try await TestApp.run { app in
            let province = try await Province.make(on: app.db)
            let intro = IntroPage()
            intro.unitID = try province.schoolA.requireID()
            (intro.slug, intro.title, intro.bodyHTML, intro.position, intro.published) = ("lich-su", "Lịch sử nhà trường", "<p>Thành lập năm 1960.</p>", 1, true)
            try await intro.create(on: app.db)
            for (unit, host) in [(province.so, "so.test"), (province.phong, "phong.test"), (province.schoolA, "a.test")] {
                let visitor = Browser(app: app, host: host)
                let home = try await visitor.get("/")
                let nav = try #require(home.body.range(of: #"<nav class="main-nav"[\s\S]*?</nav>"#, options: .regularExpression).map { String(home.body[$0]) })
                #expect(nav.contains(#"<details class="menu"#) && nav.contains(#"<summary class="menu-button">"#), "\(host): no menu button")
                #expect(!nav.contains("<script") && !nav.contains("onclick"), "\(host): the menu needs a script")
                let sections = PortalSections.forType(unit.type)
                for section in sections {
                    #expect(nav.contains(#"href="\#(section.path)""#), "\(host): \(section.path) missing from the menu")
                }
                #expect(nav.contains(#"href="/so-do-trang""#) && home.body.contains(#"<a href="/so-do-trang">Sơ đồ trang</a>"#))

                let index = try await visitor.get("/so-do-trang")
                #expect(index.status == .ok && index.body.contains("<h1>Sơ đồ trang</h1>"), "\(host): \(index.status)")
                for section in sections {
                    #expect(index.body.contains(#"href="\#(section.path)""#), "\(host): \(section.path) missing from the index")
                }
                for group in PortalSections.groups(for: unit.type) {
                    #expect(index.body.contains(">\(group.title)</h2>"), "\(host): group \(group.title)")
                }
                for category in try await Category.list(unitID: try unit.requireID(), on: app.db) {
                    #expect(index.body.contains(#"href="/tin-tuc/\#(category.slug)""#), "\(host): category \(category.slug)")
                }
                #expect(index.body.contains(#"href="/don-vi-truc-thuoc""#) == (unit.code != "th-a"), "\(host): units below")
            }
            let school = try await Browser(app: app, host: "a.test").get("/so-do-trang")
            #expect(school.body.contains(#"<a href="/gioi-thieu/lich-su">Lịch sử nhà trường</a>"#))
            // The section a page belongs to is marked, with its group.
            let documents = try await Browser(app: app, host: "so.test").get("/thu-tuc-hanh-chinh")
            #expect(documents.body.contains(#"<summary class="current">Văn bản, thủ tục<span class="visually-hidden"> (đang xem)</span></summary>"#))
            #expect(documents.body.contains(#"<a href="/thu-tuc-hanh-chinh" aria-current="page">Thủ tục hành chính</a>"#))
        }
    }
}
