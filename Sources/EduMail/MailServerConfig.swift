import Foundation

/// Writes the Postfix and Dovecot configuration that reads EduPortal's directory: Postfix's
/// `virtual_mailbox_domains`, `virtual_mailbox_maps` and `virtual_alias_maps` as `sqlite:` or
/// `pgsql:` lookup tables, Dovecot's SQL `passdb`/`userdb`, LMTP delivery from Postfix to
/// Dovecot. The queries are the contract between the two programs and our schema.
public struct MailServerConfig: Sendable {
    public enum Database: Sendable {
        case sqlite(path: String)
        case postgres(host: String, port: Int, user: String, password: String, database: String)

        /// From the same settings the server uses (`DATABASE_URL`, else the SQLite file).
        public static func from(databaseURL: String?, sqlitePath: String) -> Database? {
            guard let url = databaseURL, !url.isEmpty else { return .sqlite(path: sqlitePath) }
            guard let components = URLComponents(string: url), let scheme = components.scheme, scheme.hasPrefix("postgres"),
                  let host = components.host else { return nil }
            let database = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            return .postgres(host: host, port: components.port ?? 5432, user: components.user ?? "postgres",
                             password: components.password ?? "", database: database.isEmpty ? "postgres" : database)
        }
    }

    public var database: Database
    /// Where the map files will live (Postfix reads them from here).
    public var postfixDirectory: String
    public var dovecotDirectory: String
    /// Root of the mail homes: `<vmail>/<domain>/<local part>`.
    public var vmailDirectory: String
    public var vmailUID: Int
    public var vmailGID: Int
    public var hostname: String
    /// Postfix hands mail to Dovecot's LMTP here: `unix:private/dovecot-lmtp` or `inet:127.0.0.1:24`.
    public var lmtp: String
    /// A self-contained instance (tests, a second instance): queue, state and listeners on loopback.
    public var instance: Instance?
    /// Postfix asks EduPortal's policy service about group posting rules here (`inet:127.0.0.1:10040`).
    public var policyService: String?
    /// EduPortal's LMTP service for consultations' own addresses (`inet:127.0.0.1:10026`): with it,
    /// those addresses are valid recipients and Postfix's transport hands their mail to EduPortal.
    public var intakeService: String?

    public struct Instance: Sendable {
        public var directory: String
        public var smtpPort: Int
        public var imapPort: Int
        public var lmtpPort: Int
        /// Submission (SASL through Dovecot, no TLS on loopback) and Dovecot's auth service for Postfix.
        public var submissionPort: Int
        public var authPort: Int

        public init(directory: String, smtpPort: Int, imapPort: Int, lmtpPort: Int, submissionPort: Int = 0, authPort: Int = 0) {
            self.directory = directory
            self.smtpPort = smtpPort
            self.imapPort = imapPort
            self.lmtpPort = lmtpPort
            self.submissionPort = submissionPort
            self.authPort = authPort
        }
    }

    public init(database: Database, postfixDirectory: String, dovecotDirectory: String, vmailDirectory: String = "/var/vmail",
                vmailUID: Int = 5000, vmailGID: Int = 5000, hostname: String = "mail.example.edu.vn",
                lmtp: String = "unix:private/dovecot-lmtp", instance: Instance? = nil) {
        self.database = database
        self.postfixDirectory = postfixDirectory
        self.dovecotDirectory = dovecotDirectory
        self.vmailDirectory = vmailDirectory
        self.vmailUID = vmailUID
        self.vmailGID = vmailGID
        self.hostname = hostname
        self.lmtp = lmtp
        self.instance = instance
    }

    // MARK: - The queries (one row per recipient; groups are expanded into `mail_alias_map`)

    static let domainQuery = "SELECT domain FROM mail_domains WHERE domain = '%s' AND active = TRUE"
    static let mailboxQuery = "SELECT domain || '/' || local_part || '/' FROM mailboxes WHERE address = '%s' AND active = TRUE"
    static let aliasQuery = "SELECT destination FROM mail_alias_map WHERE source = '%s'"
    /// A consultation's own address: one in a mail domain of the consultation's own unit.
    static let consultationMatch = "FROM consultations c JOIN mail_domains d ON d.unit_id = c.unit_id AND d.domain = '%d' AND d.active = TRUE "
        + "WHERE c.receiving_address = '%s'"
    static func transportQuery(_ service: String) -> String { "SELECT 'lmtp:\(service)' \(consultationMatch)" }
    /// Who may send as an address: its active mailbox; any other address in one of our domains
    /// (an alias, a group, a name nobody has) belongs to no login, so nobody may use it as the
    /// envelope sender. Addresses outside our domains have no owner and are not checked here.
    static let senderLoginQuery = "SELECT address FROM mailboxes WHERE address = '%s' AND active = TRUE "
        + "UNION SELECT 'khong-ai-duoc-gui@invalid' FROM mail_domains WHERE domain = '%d' AND active = TRUE "
        + "AND NOT EXISTS (SELECT 1 FROM mailboxes WHERE address = '%s' AND active = TRUE)"

    var passwordQuery: String {
        "SELECT address AS user, password_hash AS password FROM mailboxes WHERE address = '%u' AND active = TRUE"
    }

    var userQuery: String {
        "SELECT '\(vmailDirectory)/' || domain || '/' || local_part AS home, \(vmailUID) AS uid, \(vmailGID) AS gid, "
            + "'*:storage=' || quota_mb || 'M' AS quota_rule FROM mailboxes WHERE address = '%u' AND active = TRUE"
    }

    /// File name → contents.
    public func files() -> [(path: String, contents: String)] {
        var files: [(String, String)] = []
        let map = postfixMapType
        var maps = [
            ("virtual-domains.cf", Self.domainQuery), ("virtual-mailboxes.cf", Self.mailboxQuery), ("virtual-aliases.cf", Self.aliasQuery),
            ("sender-logins.cf", Self.senderLoginQuery),
        ]
        if let intakeService {
            // Consultations' addresses are recipients too; the transport map sends their mail to EduPortal.
            maps[1].1 += " UNION SELECT 'eduportal-gop-y/' \(Self.consultationMatch)"
            maps.append(("transport.cf", Self.transportQuery(intakeService)))
        }
        for (name, query) in maps {
            files.append(("postfix/\(name)", postfixMap(query: query)))
        }
        var main = """
        # Written by `eduportal mail config`: Postfix reads EduPortal's mail directory (\(map): maps).
        compatibility_level = 3.6
        myhostname = \(hostname)
        mydestination =
        virtual_mailbox_domains = \(map):\(postfixDirectory)/virtual-domains.cf
        virtual_mailbox_maps = \(map):\(postfixDirectory)/virtual-mailboxes.cf
        virtual_alias_maps = \(map):\(postfixDirectory)/virtual-aliases.cf
        virtual_transport = lmtp:\(instance.map { "inet:127.0.0.1:\($0.lmtpPort)" } ?? lmtp)
        \(intakeService == nil ? "" : "# Mail to a consultation's own address goes to EduPortal's LMTP service (comments by e-mail).\ntransport_maps = \(map):\(postfixDirectory)/transport.cf\n")# 25 MB a message: a consultation takes files of up to 10 MB each (encoded, a third larger).
        message_size_limit = 26214400
        # Senders are who they say: an address in one of our domains is used as the envelope sender
        # only by a client that logged in as that mailbox (SASL through Dovecot, on submission).
        smtpd_sender_login_maps = \(map):\(postfixDirectory)/sender-logins.cf
        smtpd_sender_restrictions = reject_unauthenticated_sender_login_mismatch
        # Postfix ignores the sender-login check where SASL is off, so it is on here too; outside a
        # test instance AUTH is offered only over TLS (clients use submission, port 587).
        smtpd_sasl_auth_enable = yes
        smtpd_tls_auth_only = \(instance == nil ? "yes" : "no")
        smtpd_sasl_type = dovecot
        smtpd_sasl_path = \(instance.map { "inet:127.0.0.1:\($0.authPort)" } ?? "private/auth")
        # group+anything@ reaches the group, under the group's posting rule.
        recipient_delimiter = +
        smtpd_recipient_restrictions = \(policyService.map { "check_policy_service \($0), " } ?? "")permit_sasl_authenticated, permit_mynetworks, reject_unauth_destination
        smtpd_relay_restrictions = permit_sasl_authenticated, permit_mynetworks, reject_unauth_destination
        alias_maps =
        alias_database =
        biff = no

        """
        if let instance {
            main += """
            queue_directory = \(instance.directory)/postfix-queue
            data_directory = \(instance.directory)/postfix-data
            command_directory = /usr/sbin
            daemon_directory = /usr/lib/postfix/sbin
            meta_directory = /etc/postfix
            shlib_directory = /usr/lib/postfix
            mail_owner = postfix
            setgid_group = postdrop
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            maillog_file = \(instance.directory)/postfix.log
            maillog_file_prefixes = \(instance.directory)

            """
            files.append(("postfix/master.cf", Self.masterCF(
                smtp: "127.0.0.1:\(instance.smtpPort)", submission: instance.submissionPort > 0 ? "127.0.0.1:\(instance.submissionPort)" : nil)))
        } else {
            files.append(("postfix/master-submission.cf", Self.productionSubmission))
        }
        files.append(("postfix/main.cf", main))
        files.append(("dovecot/dovecot-sql.conf.ext", dovecotSQL))
        files.append(("dovecot/dovecot.conf", dovecotConf))
        return files
    }

    var postfixMapType: String {
        if case .sqlite = database { return "sqlite" }
        return "pgsql"
    }

    func postfixMap(query: String) -> String {
        switch database {
        case .sqlite(let path):
            return "# Written by `eduportal mail config`.\ndbpath = \(path)\nquery = \(query)\n"
        case .postgres(let host, let port, let user, let password, let database):
            return "# Written by `eduportal mail config`.\nhosts = inet:\(host):\(port)\nuser = \(user)\npassword = \(password)\ndbname = \(database)\nquery = \(query)\n"
        }
    }

    var dovecotSQL: String {
        let connect: String
        let driver: String
        switch database {
        case .sqlite(let path):
            driver = "sqlite"
            connect = path
        case .postgres(let host, let port, let user, let password, let database):
            driver = "pgsql"
            connect = "host=\(host) port=\(port) dbname=\(database) user=\(user)" + (password.isEmpty ? "" : " password=\(password)")
        }
        return """
        # Written by `eduportal mail config`: Dovecot reads mailboxes and passwords from EduPortal.
        driver = \(driver)
        connect = \(connect)
        default_pass_scheme = BLF-CRYPT
        password_query = \(passwordQuery)
        user_query = \(userQuery)
        iterate_query = SELECT address AS user FROM mailboxes WHERE active = TRUE

        """
    }

    var dovecotConf: String {
        var conf = """
        # Written by `eduportal mail config`.
        protocols = imap lmtp
        mail_location = maildir:~/Maildir
        first_valid_uid = \(min(vmailUID, 1000))
        auth_mechanisms = plain login
        # Each mailbox's quota (mailboxes.quota_mb) arrives from userdb as quota_rule.
        mail_plugins = $mail_plugins quota
        protocol imap {
          mail_plugins = $mail_plugins imap_quota
        }
        plugin {
          quota = count:User quota
          quota_vsizes = yes
        }
        passdb {
          driver = sql
          args = \(dovecotDirectory)/dovecot-sql.conf.ext
        }
        userdb {
          driver = sql
          args = \(dovecotDirectory)/dovecot-sql.conf.ext
        }

        """
        if let instance {
            conf += """
            base_dir = \(instance.directory)/dovecot-run
            state_dir = \(instance.directory)/dovecot-state
            log_path = \(instance.directory)/dovecot.log
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = \(instance.imapPort)
              }
              inet_listener imaps {
                port = 0
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = \(instance.lmtpPort)
              }
            }
            service auth-worker {
              user = root
            }
            service auth {
              inet_listener {
                address = 127.0.0.1
                port = \(instance.authPort)
              }
            }

            """
        } else {
            conf += """
            service lmtp {
              unix_listener /var/spool/postfix/private/dovecot-lmtp {
                mode = 0600
                user = postfix
                group = postfix
              }
            }
            # Postfix checks submission logins here (smtpd_sasl_path = private/auth).
            service auth {
              unix_listener /var/spool/postfix/private/auth {
                mode = 0660
                user = postfix
                group = postfix
              }
            }
            ssl = required

            """
        }
        return conf
    }

    /// The submission service to add to the system's master.cf: port 587, TLS required, login
    /// required, and the envelope sender must be the mailbox logged in.
    static let productionSubmission = """
        # Written by `eduportal mail config`: add to /etc/postfix/master.cf (submission for staff mail clients).
        submission inet n - y - - smtpd
          -o syslog_name=postfix/submission
          -o smtpd_tls_security_level=encrypt
          -o smtpd_sasl_auth_enable=yes
          -o smtpd_tls_auth_only=yes
          -o smtpd_sender_restrictions=reject_sender_login_mismatch,permit_sasl_authenticated,reject
          -o smtpd_relay_restrictions=permit_sasl_authenticated,reject

        """

    static func masterCF(smtp: String, submission: String? = nil) -> String {
        let submissionLine = submission.map {
            "\($0) inet n - n - - smtpd -o smtpd_sasl_auth_enable=yes "
                + "-o smtpd_sender_restrictions=reject_sender_login_mismatch,permit_sasl_authenticated,reject "
                + "-o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n"
        } ?? ""
        return submissionLine + """
        \(smtp) inet n - n - - smtpd
        pickup    unix  n - n 60 1 pickup
        cleanup   unix  n - n -  0 cleanup
        qmgr      unix  n - n 300 1 qmgr
        rewrite   unix  - - n -  - trivial-rewrite
        bounce    unix  - - n -  0 bounce
        defer     unix  - - n -  0 bounce
        trace     unix  - - n -  0 bounce
        verify    unix  - - n -  1 verify
        flush     unix  n - n 1000? 0 flush
        proxymap  unix  - - n -  - proxymap
        smtp      unix  - - n -  - smtp
        relay     unix  - - n -  - smtp
        showq     unix  n - n -  - showq
        error     unix  - - n -  - error
        retry     unix  - - n -  - error
        discard   unix  - - n -  - discard
        lmtp      unix  - - n -  - lmtp
        anvil     unix  - - n -  1 anvil
        scache    unix  - - n -  1 scache
        postlog   unix-dgram n - n - 1 postlogd

        """
    }
}
