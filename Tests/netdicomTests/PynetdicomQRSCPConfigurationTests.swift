import DICOMNetwork
import Testing
@testable import netdicom

/// Reading pynetdicom qrscp's INI configuration as Python's configparser does.
@Suite("pynetdicom qrscp configuration")
struct PynetdicomQRSCPConfigurationTests {
    /// pynetdicom's default.ini, its comments and indentation as shipped, and a second
    /// destination without a port of its own.
    static let file = """
        # Default configuration file for qrscp.py

        ## Application settings
        [DEFAULT]
            # Our AE Title
            ae_title: QRSCP
            # Our listen port
            port: 11112
            # Our maximum PDU size; 0 for unlimited
            max_pdu: 16382
            # The ACSE, DIMSE and network timeouts (in seconds)
            acse_timeout: 30
            dimse_timeout: 40
            network_timeout: 50
            # If unset, listen on all interfaces
            bind_address:
            instance_location: instances
            database_location: instances.sqlite
            log_identifier: True

        ## Move Destinations
        [STORESCP]
            address: 127.0.0.1
            port: 11113
        [VIEWER]
            ; configparser's other comment
            ADDRESS = viewer.local
        """

    @Test("[DEFAULT]'s settings; every other section a destination, a missing port taken from [DEFAULT], keys in any case")
    func defaultFile() throws {
        #expect(PynetdicomQRSCPConfiguration.recognizes(Self.file))
        let configuration = try PynetdicomQRSCPConfiguration(parsing: Self.file)
        #expect(configuration.aeTitle == "QRSCP")
        #expect(configuration.port == 11112)
        #expect(configuration.maximumPDUSize == 16382)
        #expect(configuration.acseTimeout == 30 && configuration.dimseTimeout == 40 && configuration.networkTimeout == 50)
        #expect(configuration.bindAddress == nil, "empty: every interface")
        let defaults = configuration.networkDefaults
        #expect(defaults.acseTimeout == 30 && defaults.dimseTimeout == 40 && defaults.networkTimeout == 50 && defaults.maximumPDUSize == 16382)
        #expect(configuration.instanceLocation == "instances" && configuration.databaseLocation == "instances.sqlite")
        let destinations = configuration.destinations.map { "\($0.aeTitle)@\($0.destination.host):\($0.destination.port)" }
        #expect(destinations == ["STORESCP@127.0.0.1:11113", "VIEWER@viewer.local:11112"])
    }

    @Test("a line indented deeper than its key continues the value")
    func continuation() throws {
        let configuration = try PynetdicomQRSCPConfiguration(parsing: "[DEFAULT]\nae_title: ONE\n  TWO\nport = 104\n")
        #expect(configuration.aeTitle == "ONE\nTWO")
        #expect(configuration.port == 104)
    }

    @Test("our destination lines and dcmqrscp's files are not INI files")
    func notINI() {
        #expect(!PynetdicomQRSCPConfiguration.recognizes("STORESCP 127.0.0.1:11113\nVIEWER [::1]:4242\n"))
        #expect(!PynetdicomQRSCPConfiguration.recognizes("NetworkTCPPort = 104\nHostTable BEGIN\nHostTable END\n"))
    }

    @Test("a bad value or line is refused with its line number", arguments: [
        ("[DEFAULT]\nport: http\n", "line 2: \"http\" is not a valid port"),
        ("[DEFAULT]\nport: 70000\n", "line 2: \"70000\" is not a valid port"),
        ("[DEFAULT]\nacse_timeout: -1\n", "line 2: \"-1\" is not a valid acse_timeout"),
        ("port: 104\n[DEFAULT]\n", "line 1: \"port: 104\" comes before any [section]"),
        ("[DEFAULT]\nport 104\n", "line 2: \"port 104\" is not \"key: value\""),
        ("[DEFAULT]\n[STORESCP]\nport: 104\n", "line 2: the move destination [STORESCP] has no address"),
        ("[STORESCP]\naddress: 127.0.0.1\n", "line 1: the move destination [STORESCP] has no valid port"),
        ("[A-TITLE-LONGER-THAN-16]\naddress: h\nport: 104\n", "line 1: [A-TITLE-LONGER-THAN-16] is not an AE title"),
    ])
    func refused(text: String, message: String) {
        let error = #expect(throws: ConfigurationFileError.self) { try PynetdicomQRSCPConfiguration(parsing: text) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
