import EduCore
import EduData
import Fluent
import Vapor

/// `GET /api/v1/units`: every unit's public data.
struct UnitsAPIController {
    struct UnitDTO: Content {
        let code: String
        let type: String
        let name: String
        let nameEn: String
        let hostnames: [String]
        /// `null` for the root rather than left out.
        @NullEncoded var parentCode: String?
        let email: String
        let mailDomain: String
    }

    struct UnitList: Content {
        let units: [UnitDTO]
    }

    func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.apiOpenAPI.routePath, use: openAPI)
        routes.get(SiteURL.apiUnits.routePath, use: list)
        routes.get(SiteURL.apiUnitYearbook(code: .key).routePath, use: yearbook)
    }

    /// `GET /api/v1/units/<code>/yearbook`: the statistics yearbook as open data: every period
    /// with the unit's figures (its own, or its schools' summed) by indicator key.
    struct YearbookDTO: Content {
        struct Indicator: Content {
            let key: String
            let label: String
        }

        struct Period: Content {
            let schoolYear: String
            let kind: String
            let referenceDate: Date
            let dueAt: Date
            let schoolsFiled: Int
            /// Schools by `level|ownership`.
            let schools: [String: Int]
            let values: [String: Int]
            /// The same by ownership (`cong-lap`, `tu-thuc`, `dan-lap`).
            let valuesByOwnership: [String: [String: Int]]
        }

        let unit: String
        let name: String
        let indicators: [Indicator]
        let periods: [Period]
    }

    @Sendable func yearbook(req: Request) async throws -> Response {
        guard let code = req.parameters.get("code")?.lowercased(), let unit = try await ResolvedUnit.find(code: code, on: req.db), unit.state == .active else {
            throw AppError.notFound
        }
        let periods = try await YearbookService.periods(on: req.db)
        let figures = try await YearbookService.figures(of: unit, periods: periods, on: req.db)
        let keys = Set(figures.values.flatMap(\.values.keys))
        let dto = YearbookDTO(
            unit: unit.code, name: unit.name,
            indicators: keys.sorted().map { .init(key: $0, label: YearbookCatalogue.label(forKey: $0)) },
            periods: periods.reversed().map { period in
                let f = period.id.flatMap { figures[$0] } ?? .init()
                return .init(schoolYear: period.schoolYear, kind: period.kind, referenceDate: period.referenceDate, dueAt: period.dueAt,
                             schoolsFiled: f.filed, schools: f.schools, values: f.values, valuesByOwnership: f.byOwnership)
            })
        let response = Response(status: .ok)
        try response.content.encode(dto, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }

    /// The contract of `/api/v1` (OpenAPI 3.1), written by hand beside the code and checked two
    /// ways: a test compares its paths with the routes registered, and `scripts/test` runs
    /// schemathesis against a running server with it.
    static let openAPIDocument: ByteBuffer? = {
        let url = Bundle.module.bundleURL.appendingPathComponent("Resources/api/openapi.json")
        return (try? Data(contentsOf: url)).map { ByteBuffer(data: $0) }
    }()

    @Sendable func openAPI(req: Request) throws -> Response {
        guard let document = Self.openAPIDocument else { throw AppError.notFound }
        let response = Response(status: .ok, body: .init(buffer: document))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        response.headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return response
    }

    @Sendable func list(req: Request) async throws -> Response {
        let (units, hostnames) = try await OrgUnit.directory(on: req.db)
        let codes = Dictionary(uniqueKeysWithValues: units.compactMap { unit in unit.id.map { ($0, unit.code) } })
        let list = UnitList(units: units.map { unit in
            UnitDTO(
                code: unit.code, type: unit.typeCode, name: unit.name, nameEn: unit.nameEn,
                hostnames: unit.id.flatMap { hostnames[$0] } ?? [], parentCode: unit.parentID.flatMap { codes[$0] },
                email: unit.email, mailDomain: unit.mailDomain)
        })
        let response = Response(status: .ok)
        try response.content.encode(list, as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        return response
    }
}
