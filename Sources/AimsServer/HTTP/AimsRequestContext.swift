import AimsStore
import Hummingbird

/// Per-request state: the authenticated identity, if any, and the body size limit.
public struct AimsRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// How the identity was established; cookie sessions need CSRF tokens on writes.
    public var viaSession = false
    var bodyLimit = 1 << 20

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { bodyLimit }
}
