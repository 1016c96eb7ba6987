import EduCore
import EduData
import EduTestSupport
import Fluent
import Foundation
import Testing
import Vapor
@testable import EduWeb

/// A fresh installation (deploy/INSTALL.md): the province's root unit from the command line,
/// checked as the admin checks a unit, once.
@Suite struct InstallTests {
    @Test func theRootUnitIsMadeOnceAndChecked() async throws {
        try await TestApp.run { app in
            func create(_ code: String, _ name: String, hosts: [String] = [], mail: String = "") async throws -> String? {
                do {
                    try await UnitOperations.createRoot(app: app, code: code, name: name, hostnames: hosts, mailDomain: mail, email: "")
                    return nil
                } catch let failure as OperationFailure {
                    return failure.description
                }
            }
            #expect(try await create("Sở Ninh Bình", "Sở Giáo dục và Đào tạo tỉnh Ninh Bình")?.contains("Mã đơn vị chỉ gồm chữ thường") == true)
            #expect(try await create("so-ninh-binh", "Sở Giáo dục và Đào tạo tỉnh Ninh Bình", hosts: ["không hợp lệ"])?.contains("Tên miền không hợp lệ") == true)
            #expect(try await OrgUnit.query(on: app.db).count() == 0)
            #expect(try await create("so-ninh-binh", "Sở Giáo dục và Đào tạo tỉnh Ninh Bình", hosts: ["ninhbinh.edu.vn"], mail: "ninhbinh.edu.vn") == nil)
            let root = try #require(try await OrgUnit.query(on: app.db).first())
            #expect(root.type == .so && root.parentID == nil && root.name == "Sở Giáo dục và Đào tạo tỉnh Ninh Bình")
            #expect(try await Browser(app: app, host: "ninhbinh.edu.vn").get("/").body.contains("Sở Giáo dục và Đào tạo tỉnh Ninh Bình"))
            #expect(try await create("so-khac", "Sở thứ hai")?.contains("Đã có đơn vị gốc") == true)
            #expect(try await OrgUnit.query(on: app.db).count() == 1)
        }
    }
}
