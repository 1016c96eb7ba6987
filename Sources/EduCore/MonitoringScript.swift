import Foundation

/// The national monitoring system's script a unit puts on its public pages (Circular
/// 22/2023/TT-BTTTT: portals connect to EMC). Only an address is stored: the page loads the
/// script from there (`<script src async>`, never inline), and that origin alone is added to the
/// unit's public pages' Content-Security-Policy. The deployment names the hosts such a script may
/// come from, so a unit's admin cannot put just any third party's script on the portal.
public enum MonitoringScript {
    public static let maxLength = 500

    /// What is wrong with `address` as a script address, in Vietnamese; nil when it may be used.
    /// An empty address is fine (no script).
    public static func problem(_ address: String, allowedHosts: [String]) -> String? {
        guard !address.isEmpty else { return nil }
        if allowedHosts.isEmpty {
            return "Hệ thống chưa cho phép gắn mã theo dõi (quản trị hệ thống khai báo EDUPORTAL_MONITORING_SCRIPT_HOSTS)."
        }
        if address.count > maxLength { return "Địa chỉ mã theo dõi dài quá \(maxLength) ký tự." }
        // Only what an address may hold without escaping: no spaces, quotes, angle brackets or
        // backslashes, nothing outside ASCII.
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&()*+,;=%")
        if address.unicodeScalars.contains(where: { !allowed.contains($0) }) {
            return "Địa chỉ mã theo dõi chỉ gồm chữ cái không dấu, chữ số và các ký tự của địa chỉ web (không có dấu cách, dấu nháy, < >)."
        }
        guard let url = URLComponents(string: address), let scheme = url.scheme?.lowercased() else {
            return "Địa chỉ mã theo dõi không hợp lệ: nhập đầy đủ, ví dụ https://emc.gov.vn/…/script.js."
        }
        guard scheme == "https" else { return "Mã theo dõi phải được tải qua https:// (nhận được «\(scheme):»)." }
        guard let host = url.host?.lowercased(), !host.isEmpty, Validation.isHostname(host) else {
            return "Địa chỉ mã theo dõi thiếu tên máy chủ hợp lệ."
        }
        if url.user != nil || url.password != nil { return "Địa chỉ mã theo dõi không được chứa tên đăng nhập hay mật khẩu." }
        if url.fragment != nil { return "Địa chỉ mã theo dõi không được có phần «#…»." }
        guard allowedHosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) else {
            return "Máy chủ «\(host)» không nằm trong danh sách được phép: " + allowedHosts.joined(separator: ", ") + "."
        }
        return nil
    }

    /// `https://host[:port]` of an accepted address (for the Content-Security-Policy).
    public static func origin(of address: String) -> String? {
        guard !address.isEmpty, let url = URLComponents(string: address), url.scheme?.lowercased() == "https",
            let host = url.host?.lowercased(), Validation.isHostname(host)
        else { return nil }
        return "https://" + host + (url.port.map { ":\($0)" } ?? "")
    }
}
