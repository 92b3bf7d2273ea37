import AimsCore
import AimsStore
import Foundation
import Hummingbird
import Logging

/// Everything a running Aims needs, built once and passed to controllers explicitly.
public struct AimsServices: Sendable {
    public let config: AppConfig
    public let catalog: Catalog
    public let store: AimsStore

    public init(config: AppConfig, catalog: Catalog, store: AimsStore) {
        self.config = config
        self.catalog = catalog
        self.store = store
    }
}

/// The registers served by the API and the web app, in navigation order.
func registerControllers(_ services: AimsServices, views: Views, routes: APIRoutes) {
    func add<R: RegisterRecord>(_ type: R.Type) {
        RegisterAPI<R>(store: services.store, catalog: services.catalog).register(on: routes)
        RegisterPages<R>(store: services.store, catalog: services.catalog, views: views).register(on: routes)
    }
    // One generic controller pair per register; `Registers.all` is the list.
    for type in Registers.all { add(type) }
}

/// The composition root, used by `aims serve` and by the tests.
func buildRouter(_ services: AimsServices) async throws -> (Router<AimsRequestContext>, [Endpoint]) {
    let views = try await Views.load()
    let router = Router(context: AimsRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(views: views))
    router.add(middleware: BodyLimitMiddleware(bodyLimit: services.config.maxBodyBytes, uploadLimit: services.config.maxUploadBytes))
    router.add(middleware: AuthenticationMiddleware(store: services.store))

    let routes = APIRoutes(router: router)
    let documented = DocumentBox()
    SystemAPI(store: services.store).register(on: routes) { documented.value }
    CatalogAPI(catalog: services.catalog).register(on: routes)
    IdentityAPI(store: services.store, config: services.config).register(on: routes)
    registerControllers(services, views: views, routes: routes)
    let files = EvidenceFiles(root: services.config.evidenceRoot)
    EvidenceFileController(store: services.store, catalog: services.catalog, files: files).register(on: routes)
    let monitoring = MonitoringService(store: services.store, catalog: services.catalog, files: files)
    MonitoringAPI(service: monitoring).register(on: routes)
    MonitoringPages(store: services.store, files: files, views: views).register(on: routes)
    Pages(store: services.store, catalog: services.catalog, views: views, config: services.config).register(on: routes)
    SessionController(store: services.store, views: views, config: services.config,
                      throttle: LoginThrottle(limit: services.config.loginAttemptLimit, window: TimeInterval(services.config.loginLockoutMinutes * 60)))
        .register(on: router)
    router.get("/assets/aims.css") { _, _ in
        guard let url = Bundle.module.url(forResource: "aims", withExtension: "css", subdirectory: "Assets"), let css = try? String(contentsOf: url, encoding: .utf8) else {
            throw Problem.notFound("asset")
        }
        var response = Response.text(css, contentType: "text/css; charset=utf-8")
        response.headers[.cacheControl] = "public, max-age=3600"
        return response
    }
    documented.value = OpenAPIDocument.build(routes.documented, version: AimsVersion.current)
    return (router, routes.operations)
}

/// Holds the OpenAPI document, which can only be built after every route is added.
final class DocumentBox: @unchecked Sendable {
    // Written once during start-up before the server accepts requests; read-only afterwards.
    var value: JSONValue = .null
}

public enum AimsVersion {
    public static let current = "0.1.0"
}

public func buildApplication(_ services: AimsServices, logger: Logger) async throws -> some ApplicationProtocol {
    let (router, _) = try await buildRouter(services)
    return Application(
        router: router,
        configuration: .init(address: .hostname(services.config.host, port: services.config.port), serverName: "Aims"),
        services: [services.store.lifecycleService],
        logger: logger)
}
