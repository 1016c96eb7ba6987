import FluentKit

/// Every migration, in order. A shipped migration is never edited: add a new one.
public enum EduMigrations {
    public static var all: [any Migration] {
        [
            // 001: units, accounts, sessions, audit
            CreateUnitTypeRules(),
            CreateUnits(),
            CreateUsers(),
            CreateSessions(),
            CreateAuditLog(),
            // 002: articles, categories, revisions, workflow history, notice outbox
            CreateCategories(),
            CreateArticles(),
            CreateOutbox(),
            // 003: media library, legal documents, introduction pages, departments, leaders
            CreateMedia(),
            CreateLegalDocuments(),
            CreateIntroduction(),
            // 004: the search index (and its FTS5 mirror on SQLite)
            CreateSearchIndex(),
            // 005: page cache invalidation
            UpdateUnitsAddContentVersion(),
            // 006: the public contact form
            CreateContact(),
            // 007: exam results and the diploma register
            CreateExams(),
            // 008: the mail directory (domains, mailboxes, groups, rules, registration requests, the alias map Postfix reads)
            CreateMail(),
            // 009: import jobs owned by the app: a heartbeat tells live imports from interrupted ones
            UpdateExamImportsAddHeartbeat(),
            // 010: delegated name suffixes and requests for hostnames and mail domains
            CreateNames(),
            // 011: a reset password must be changed at the next login
            UpdateUsersAddMustChangePassword(),
            // 012: lookup rate-limit counts shared by the nodes
            CreateLookupCounts(),
            // 013: a mailbox keeps the phone number the staff list gave
            UpdateMailboxesAddPhone(),
            // 014: online admission: plans, quotas per school, registrations, versioned choices
            CreateAdmissions(),
            // 015: admission scores, allocation, published results, one registration per child, proofs
            UpdateAdmissionsAddResults(),
            // 016: polls with their options and votes
            CreatePolls(),
            // 017: questions from the public and their answers
            CreateQuestions(),
            // 018: consultations on drafts and their comments
            CreateConsultations(),
            // 019: a consultation comment's files in their own table; a mailed comment's message id
            UpdateConsultationsAddFiles(),
            // 020: units that ended (merged, dissolved) and their successor
            UpdateUnitsAddSuccession(),
            // 021: the statistics yearbook: reporting periods and schools' reports
            CreateYearbook(),
            // 022: public disclosure: each school's items per school year
            CreateDisclosures(),
            // 023: disclosure reminders sent (once per school, year and phase)
            CreateDisclosureReminders(),
            // 024: re-homed news and documents name the unit that published them
            UpdateContentAddOrigin(),
            // 025: a disclosure item's structured figures
            UpdateDisclosuresAddFields(),
            // 026: the administrative procedures catalogue and its forms
            CreateProcedures(),
            // 027: projects, tenders and purchases with their documents
            CreateProcurement(),
            // 028: foreign-language and IT centres licensed by the Sở
            CreateCentres(),
            // 029: the digital resource library
            CreateResources(),
            // 030: web conferences, organisations, press releases, scholarships (A8.14, Article 10)
            CreateSectionEntries(),
            // 031: inspection, evaluation and ranking of the units below (A16)
            CreateEvaluations(),
            // 032: deployment reports sent to the unit above
            CreateReportSubmissions(),
            // 033: reports asked for by the unit above, rounds on a schedule
            CreateReportRequests(),
            // 034: resized copies of photos; an article's gallery
            UpdateMediaAddCopies(),
            // 035: search at scale: entries ordered newest first by a unique key
            UpdateSearchAddRankKey(),
            // 036: visits per page and day; a unit's monitoring script
            CreatePageVisits(),
            // 037: public lists read in order: articles by publication, documents by issue date
            UpdateContentAddListIndexes(),
        ]
    }

    public static func register(on migrations: Migrations) {
        for migration in all { migrations.add(migration) }
    }
}

extension SchemaBuilder {
    /// The columns every `WorkflowItem` has (articles, legal documents).
    func workflowFields() -> Self {
        field("state", .string, .required)
            .field("created_by", .uuid, .required)
            .field("publish_at", .datetime)
            .field("expires_at", .datetime)
            .field("published_at", .datetime)
            .field("review_comment", .string, .required)
    }
}
