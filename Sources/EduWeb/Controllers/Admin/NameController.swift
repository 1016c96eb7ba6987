import EduCore
import EduData
import Fluent
import Vapor

/// `/quan-tri/don-vi/:code/ten-mien…`: suffixes handed to a subtree (the Sở's admins), and the
/// decisions on names that units below ask for.
struct NameController {
    func register(_ units: UnitRoutes) {
        units.get(.adminNames(code: .key), requires: .editUnit, use: index)
        units.post(.adminNameDelegations(code: .key), requires: .editUnit, use: delegate)
        units.post(.adminNameDelegation(code: .key, id: .key), requires: .editUnit, use: undelegate)
        units.post(.adminNameRequest(code: .key, id: .key), requires: .editUnit, use: decide)
    }

    func page(_ req: Request, admin: AdminContext, unit: ResolvedUnit, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        req.render(try await NamesPage.query(req, admin: admin, unit: unit, error: error), status: status)
    }

    func done(_ req: Request, _ unit: ResolvedUnit, _ key: String) -> Response {
        req.redirect(to: SiteURL.adminNames(code: .value(unit.code)).path + "?ok=" + key)
    }

    @Sendable func index(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        return try await page(req, admin: admin, unit: unit)
    }

    @Sendable func delegate(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard NameService.mayDelegate(admin, in: unit) else {
            throw AppError(.forbidden, "Chỉ quản trị của Sở được giao hậu tố tên miền.")
        }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            _ = try await NameService.delegate(form["suffix"] ?? "", to: unit, by: req.actor(admin), on: req.db)
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, error: errors.messages.joined(separator: " "), status: .unprocessableEntity)
        }
        return done(req, unit, "name-delegated")
    }

    @Sendable func undelegate(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard NameService.mayDelegate(admin, in: unit) else {
            throw AppError(.forbidden, "Chỉ quản trị của Sở được thu hồi hậu tố tên miền.")
        }
        guard let delegation = try await NameDelegation.find(UUID(uuidString: req.parameters.get("id") ?? ""), in: unit, on: req.db) else {
            throw AppError.notFound
        }
        try await NameService.removeDelegation(delegation, by: req.actor(admin), on: req.db)
        return done(req, unit, "name-undelegated")
    }

    /// Approves or rejects a request from a unit strictly below this one, when this person
    /// administers a unit above the requester.
    @Sendable func decide(req: Request) async throws -> Response {
        let (admin, unit) = try req.scoped()
        guard let id = UUID(uuidString: req.parameters.get("id") ?? ""),
            let request = try await NameRequest.find(id, on: req.db),
            let requester = try await OrgUnit.find(request.unitID, on: req.db)
        else { throw AppError.notFound }
        let resolved = try await requester.resolved(on: req.db)
        guard resolved.id != unit.id, resolved.ancestorIDs.contains(unit.id) else { throw AppError.notFound }
        guard NameService.authority(admin, over: resolved) == .ancestor else {
            throw AppError(.forbidden, "Chỉ quản trị của đơn vị cấp trên được duyệt tên miền này.")
        }
        guard request.state == .pending else {
            return try await page(req, admin: admin, unit: unit, error: "Yêu cầu này đã được xử lý (\(request.state.label)).", status: .conflict)
        }
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            if form["decision"] == "approve" {
                try await NameService.approve(request, by: req.actor(admin), baseDomain: req.config.baseDomain, on: req.db)
                try await req.application.unitsChanged(on: req.db)
                return done(req, unit, "name-approved")
            }
            let reason = TextNormalizer.normalize(form["reason"] ?? "", maxLength: 300)
            try await NameService.reject(request, reason: reason, by: req.actor(admin), on: req.db)
            return done(req, unit, "name-rejected")
        } catch let errors as FormErrors {
            return try await page(req, admin: admin, unit: unit, error: errors.messages.joined(separator: " "), status: .unprocessableEntity)
        }
    }
}
