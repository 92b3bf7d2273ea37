import Testing

@testable import AimsServer

@Suite("Configuration")
struct ConfigTests {
    @Test("environment variables, flags over environment, defaults")
    func precedence() {
        let defaults = AppConfig(environment: [:])
        #expect(defaults == AppConfig())
        #expect(defaults.baseURL == "http://127.0.0.1:8080")
        #expect(!defaults.secureCookies)
        let env = ["AIMS_PORT": "9000", "AIMS_DATA_DIR": "/srv/aims", "AIMS_DATABASE_URL": "postgres://u:p@db/aims", "AIMS_DEMO": "true",
                   "AIMS_PUBLIC_URL": "https://aims.example.org", "AIMS_SESSION_HOURS": "2", "AIMS_BCRYPT_COST": "10",
                   "AIMS_LOGIN_ATTEMPTS": "3", "AIMS_LOGIN_LOCKOUT_MINUTES": "30", "AIMS_MAX_BODY_BYTES": "4096", "AIMS_LOG_LEVEL": "debug",
                   "AIMS_HOST": "0.0.0.0"]
        let config = AppConfig(environment: env, overrides: ["aims.port": "9100"])
        #expect(config.port == 9100)
        #expect(config.host == "0.0.0.0")
        #expect(config.dataDirectory == "/srv/aims")
        #expect(config.databaseURL == "postgres://u:p@db/aims")
        #expect(config.demo)
        #expect(config.secureCookies)
        #expect(config.sessionHours == 2)
        #expect(config.bcryptCost == 10)
        #expect(config.loginAttemptLimit == 3)
        #expect(config.loginLockoutMinutes == 30)
        #expect(config.maxBodyBytes == 4096)
        #expect(config.logLevel == "debug")
    }
}
