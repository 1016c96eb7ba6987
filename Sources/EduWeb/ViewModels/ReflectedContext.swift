import Mustache

/// A view model as the templates read it: reflected once, recursively, into name → value tables.
/// Mustache's own lookup builds a `Mirror` of the whole value and filters its children for every
/// `{{name}}` it renders (and again for every level of the context stack it climbs); on a page
/// with a few hundred lookups that was more than half of the render time (perf on the admission
/// status page: 54% in `Mirror.getValue(forKey:)`). The semantics are Mustache's: a nil optional
/// is absent, so the lookup climbs to the enclosing context as it did before.
struct ReflectedContext: MustacheParent {
    let fields: [String: Any]

    func child(named name: String) -> Any? { fields[name] }

    /// `value` with every struct and class inside it (through optionals and arrays) reflected.
    static func wrap(_ value: Any) -> Any? {
        switch value {
        case is String, is Int, is Bool, is Double, is Substring, is MustacheLambda, is MustacheCustomRenderable, is MustacheCustomRepresentation:
            return value
        case let array as [Any]:
            return array.compactMap { wrap($0) }
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return nil }
            return wrap(wrapped)
        case .struct, .class:
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            var level: Mirror? = mirror
            while let current = level {
                for child in current.children {
                    guard let label = child.label, fields[label] == nil, let inner = wrap(child.value) else { continue }
                    fields[label] = inner
                }
                level = current.superclassMirror
            }
            return ReflectedContext(fields: fields)
        case .collection, .set:
            return mirror.children.compactMap { wrap($0.value) }
        default:
            return value
        }
    }
}
