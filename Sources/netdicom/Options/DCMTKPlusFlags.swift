/// DCMTK's options that ask for what a subcommand always does: accepted and dropped before
/// parsing, so that a command line written for DCMTK runs unchanged. Most begin with "+", which
/// the argument parser would otherwise take for positional arguments.
enum DCMTKPlusFlags {
    /// Per subcommand, the flags it accepts as no-ops.
    static let accepted: [String: Set<String>] = [
        // storescu always searches directories, recursively (+sd, +r; pynetdicom's -r), goes on
        // after a failed file (-nh, no halt), and proposes only its files' SOP classes (-R,
        // required only).
        // It also proposes each file's own transfer syntax, with the uncompressed ones after an
        // uncompressed one (DCMTK's -x= … -xs, -xv: the syntaxes to propose; but -xi, Implicit
        // VR Little Endian alone, is an option of its own).
        // It detects each file's form: Part 10 or a bare data set (+f, +fo, -f), and proposes
        // the syntaxes it needs (+C, combine them), renaming nothing unless asked (-rn).
        "storescu": proposedSyntaxes.subtracting(["-xi", "--propose-implicit"]).union([
            "+sd", "--scan-directories", "+r", "-r", "--recurse", "-nh", "--no-halt", "-R", "--required",
            "+f", "--read-file", "+fo", "--read-file-only", "-f", "--read-dataset", "+C", "--combine", "-rn", "--no-rename",
            // It sends each data set as it is, new VRs and all (+u).
            "+u", "--enable-new-vr",
            // pynetdicom's names for the same.
            "--request-little", "--request-big", "-cx", "--required-contexts",
        ]),
        // storescp accepts every transfer syntax it knows (+xa; its +x preferences are renamed
        // below), writes each data set as it arrived (+B, bit preserving), serves associations concurrently (--fork) and looks
        // up no host names (-dhl, which the parser would otherwise read as -d -h -l: help).
        // Its output options ask for what a data set written as received is (writerDefaults).
        "storescp": storageModes.union(writerDefaults).union([
            "+xa", "--accept-all", "--fork", "-dhl", "--disable-host-lookup", "-p",
            // Files are named after the SOP Instance UID, as DCMTK's default (-uf) is, though
            // without its modality prefix and with a .dcm extension. It runs in one
            // process (--single-process), lets any host in (-ac) and strips a UID's trailing
            // spaces (-up).
            "-uf", "--default-filenames", "--single-process", "-ac", "--access-full", "-up", "--uid-padding",
        ]),
        // movescu's own Storage SCP accepts every syntax by default (+xa), the requestor's
        // first choice (its +x preferences are renamed below), and writes each data set as it
        // arrived (+B); its C-MOVE goes in the uncompressed syntaxes (-x=…); it looks up no host
        // names (-dhl). It reads whatever data set a pending response carries (-pi, -pr), and
        // runs no Storage SCP unless asked (--no-port).
        "movescu": storageModes.union(writerDefaults).union([
            "+xa", "--accept-all", "-dhl", "--disable-host-lookup", "-p", "-ac", "--access-full",
            "-pi", "--pending-ignore", "-pr", "--pending-read", "--no-port",
        ]).union(requestSyntaxes),
        // getscu writes each data set as it arrived (+B) and looks up no host names (-dhl); it
        // and findscu send their requests in the uncompressed syntaxes (-x=…).
        "getscu": storageModes.union(requestSyntaxes).union(["-dhl", "--disable-host-lookup"]),
        // findscu prints every match (DCMTK's +sr, show responses), writes the files of -X as
        // received (+u, new VRs kept) and corrects nothing in them (-dc).
        "findscu": requestSyntaxes.union(["+sr", "--show-responses", "+u", "--enable-new-vr", "-dc", "--disable-correction"]),
        // qrscp, for dcmqrscp's command lines: its C-MOVE associations propose each instance's
        // own syntax, then Explicit and Implicit VR Little Endian (-x…). It stores each data
        // set as received (+B; -B, whose output options in writerDefaults ask for what that
        // is), in one process that serves associations concurrently (-s,
        // --fork), many storing at once (--no-parallel-store asks to refuse that: there is no
        // need), and looks up no host names (-dhl). It always checks the identifiers of C-FIND
        // and C-MOVE as PS3.4 C.4.1.1.3.1 and C.4.2.2.1 say (-XF, -XM; --no-check-* too), strips
        // a UID's trailing spaces (-up), serves no Patient/Study Only model (-QO) and lets any
        // host in (-ac).
        "qrscp": proposedSyntaxes.union(storageModes).union(writerDefaults).union([
            "-s", "--single-process", "--fork", "--no-parallel-store", "-dhl", "--disable-host-lookup",
            "-XF", "--check-find", "--no-check-find", "-XM", "--check-move", "--no-check-move",
            "-up", "--uid-padding", "-QO", "--no-patient-study", "-ac", "--access-full",
        ]),
        // dump always prints a damaged file as far as it reads (+E, --ignore-errors), shortens
        // long values unless asked (-L, --print-short), prints every instance of a searched
        // tag unless -s (+s, --search-all), and reads a value only to print it (+M, -M).
        "dump": ["+E", "--ignore-errors", "-L", "--print-short", "+s", "--search-all", "+M", "--load-all", "-M", "--load-short"],
    ]

    /// DCMTK's proposed syntaxes of a Q/R request (findscu, getscu, movescu): ours are the
    /// uncompressed ones, always.
    static let requestSyntaxes: Set<String> = [
        "-x=", "-xe", "-xb", "-xd", "-xi",
        "--propose-uncompr", "--propose-little", "--propose-big", "--propose-deflated", "--propose-implicit",
    ]

    /// DCMTK getscu's and movescu's storage modes; our Storage SCPs write each data set as it
    /// arrived, which is DCMTK's +B.
    static let storageModes: Set<String> = ["+B", "-B", "--bit-preserving", "--normal"]

    /// DCMTK's output options (storescp, movescu, dcmqrscp) that ask for their defaults: the
    /// file format with meta information, the received transfer syntax, new VRs kept, group
    /// lengths and explicit lengths as they are, no padding, UN kept (under DCMTK's +B they are
    /// ignored). A data set written as it was received is all that. (DCMTK's -p, padding off,
    /// is accepted where -p means nothing else: not qrscp's port.)
    static let writerDefaults: Set<String> = [
        "+F", "--write-file", "+t=", "--write-xfer-same", "+u", "--enable-new-vr", "+g=", "--group-length-recalc",
        "+e", "--length-explicit", "--padding-off", "-uc", "--retain-un",
    ]

    /// DCMTK's output options that ask for a received data set to be re-encoded, which ours
    /// never are: refused, with ``writerReencodingReason``.
    static let writerReencodings: [String] = [
        "-F", "--write-dataset", "+te", "--write-xfer-little", "+tb", "--write-xfer-big", "+ti", "--write-xfer-implicit",
        "+td", "--write-xfer-deflated", "-u", "--disable-new-vr", "+g", "--group-length-create", "-g", "--group-length-remove",
        "-e", "--length-undefined", "+p", "--padding-create", "+uc", "--convert-un", "+cl", "--compression-level",
    ]

    /// Why `tool` refuses ``writerReencodings``.
    static func writerReencodingReason(_ tool: String) -> String {
        "\(tool) writes each data set as it was received (DCMTK's +B, --bit-preserving): it does not re-encode it"
    }

    /// DCMTK storescu's proposed transmission transfer syntaxes.
    static let proposedSyntaxes: Set<String> = [
        "-x=", "-xe", "-xb", "-xi", "-xs", "-xy", "-xx", "-xv", "-xw", "-xt", "-xu", "-xr", "-xd",
        "--propose-uncompr", "--propose-little", "--propose-big", "--propose-implicit", "--propose-lossless",
        "--propose-jpeg8", "--propose-jpeg12", "--propose-j2k-lossless", "--propose-j2k-lossy", "--propose-jls-lossless",
        "--propose-jls-lossy", "--propose-rle", "--propose-deflated",
        // The video syntaxes (-xh would otherwise be read as -x -h: help).
        "-xm", "-xh", "-xn", "-xl", "-x2", "-x3", "-xo", "-x4", "-x5",
        "--propose-mpeg2", "--propose-mpeg2-high", "--propose-mpeg4", "--propose-mpeg4-bd", "--propose-mpeg4-2-2d",
        "--propose-mpeg4-2-3d", "--propose-mpeg4-2-st", "--propose-hevc", "--propose-hevc10",
    ]

    /// Per subcommand, DCMTK's options that ask for what it does not do, and why: refused before
    /// parsing with that reason (``refusal(in:)``), rather than dropped or reported unknown.
    static let refused: [String: [String: String]] = [
        "storescp": Dictionary(uniqueKeysWithValues:
            writerReencodings.map { ($0, writerReencodingReason("storescp")) }
            + ["-xf", "--config-file"].map { ($0, "storescp reads no association negotiation profiles: it accepts every Storage SOP Class in every transfer syntax it knows") }
            + ["+ac", "--access-control"].map { ($0, "storescp makes no TCP wrapper check (hosts.allow, hosts.deny): --require-calling-aet lets in only the AE titles named") }
            + ["-id", "--inetd"].map { ($0, "storescp listens on its port itself: it does not run under inetd") }
            + ["--sleep-after", "--sleep-during", "--abort-after", "--abort-during"].map { ($0, "storescp has none of DCMTK's fault injection for testing requestors") }
            + ["-rns", "--rename-on-eostudy"].map { ($0, "storescp keeps each file's name at the end of a study (-xcs runs a command then)") }),
        "movescu": Dictionary(uniqueKeysWithValues:
            writerReencodings.map { ($0, writerReencodingReason("movescu")) }
            + ["+ac", "--access-control"].map { ($0, "movescu's Storage SCP makes no TCP wrapper check (hosts.allow, hosts.deny)") }
            + ["-up", "--uid-padding"].map { ($0, "movescu writes each data set as it was received: it corrects no UIDs in it") }),
        "storescu": Dictionary(uniqueKeysWithValues:
            ["-xf", "--config-file"].map { ($0, "storescu reads no association negotiation profiles: it proposes each file's SOP class in the file's own syntax, uncompressed ones with Explicit and Implicit VR Little Endian beside") }
            + ["+cl", "--compression-level"].map { ($0, "storescu deflates nothing: it sends each file in its own syntax, or converts between uncompressed ones") }
            + ["-up", "--uid-padding"].map { ($0, "storescu sends each data set as it is in its file: it corrects no UIDs in it") }
            + ["-u", "--disable-new-vr"].map { ($0, "storescu sends each data set as it is in its file: it converts no VRs") }),
        "findscu": Dictionary(uniqueKeysWithValues:
            ["+dc", "--enable-correction"].map { ($0, "findscu corrects nothing in the responses: it prints and writes them as received") }
            + ["-u", "--disable-new-vr"].map { ($0, "findscu writes the responses of -X as received: it converts no VRs") }
            + ["+cl", "--compression-level"].map { ($0, "findscu deflates nothing") }),
        "qrscp": Dictionary(uniqueKeysWithValues:
            writerReencodings.map { ($0, writerReencodingReason("qrscp")) }
            + ["-xf", "--assoc-config-file"].map { ($0, "qrscp reads no association negotiation profiles: it accepts every Storage SOP Class in every transfer syntax it knows") }
            + ["+ac", "--access-control"].map { ($0, "qrscp makes no TCP wrapper check (hosts.allow, hosts.deny): a dcmqrscp --config's AETable peers are enforced, and --require-calling-aet lets in only the AE titles named") }
            + [
                "+Cr", "--use-request-charset", "-Cr", "--override-charset", "+A7", "--convert-to-ascii", "+U8", "--convert-to-utf8",
                "+L1", "--convert-to-latin1", "+C", "--convert-to-charset", "-Ct", "--transliterate", "-Cd", "--discard-illegal",
            ].map { ($0, "qrscp converts no character sets: a C-FIND response from the index is in UTF-8 (ISO_IR 192) when a value is beyond ASCII, one read from a file in that file's character set") }),
    ]

    /// The refusal of the first refused option of `arguments` (the program name first):
    /// "OPTION: why"; nil when there is none.
    static func refusal(in arguments: [String]) -> String? {
        guard arguments.count > 1, let table = refused[arguments[1]] else { return nil }
        for argument in arguments.dropFirst(2) {
            if argument == "--" { return nil }
            if let reason = table[argument] { return "\(argument): \(reason)" }
        }
        return nil
    }

    /// Per subcommand, DCMTK's "+" flags that have another name here.
    static let renamed: [String: [String: String]] = [
        // storescp's unique file names and preferred transfer syntaxes; qrscp's too.
        "storescp": StorageTransferSyntaxPreference.dcmtkSpellings.merging(StorageTransferSyntaxPreference.pynetdicomSpellings) { $1 }
            .merging(["+uf": "--unique-filenames"]) { $1 },
        "qrscp": StorageTransferSyntaxPreference.dcmtkSpellings,
        // pynetdicom's spellings of the same preferences, in its storescp and echoscp.
        "echoscp": StorageTransferSyntaxPreference.pynetdicomSpellings,
        // movescu's own Storage SCP: DCMTK's +P N (port for incoming associations) and its
        // preferred transfer syntaxes, as storescp's.
        "movescu": StorageTransferSyntaxPreference.dcmtkSpellings.merging(["+P": "--store-port"]) { $1 },
        // storescu's scan pattern and renaming of sent files.
        "storescu": [
            "+sp": "--scan-pattern", "+rn": "--rename",
            "+II": "--invent-instance", "+IR": "--invent-series", "+IS": "--invent-study", "+IP": "--invent-patient",
        ],
        // dcmdump's +P (search a tag) and +L (long values in full).
        "dump": ["+P": "--search", "+L": "--full"],
        // getscu's preferred storage transfer syntax: +x=, +xe, +xs, +xv…
        "getscu": StorageTransferSyntaxPreference.dcmtkSpellings,
    ]

    /// `arguments` (the program name first) without the accepted flags of its subcommand, and
    /// with its renamed ones under their names here (DCMTK's TLS options too: ``DCMTKTLSFlags``).
    static func dropAccepted(from arguments: [String]) -> [String] {
        guard arguments.count > 1 else { return arguments }
        let subcommand = arguments[1]
        let flags = (accepted[subcommand] ?? []).union(DCMTKTLSFlags.dropped(by: subcommand))
        var names = (renamed[subcommand] ?? [:]).merging(DCMTKTLSFlags.renamed(by: subcommand)) { $1 }
        // DCMTK's +v (show presentation contexts in verbose mode), in every networking tool.
        if subcommand != "dump" { names["+v"] = "--verbose-pc" }
        // Only up to "--": after it every word is an argument.
        var result: [String] = []
        var optionsEnded = false
        let expandsTLS = DCMTKTLSFlags.applies(to: subcommand)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { optionsEnded = true }
            if !optionsEnded && flags.contains(argument) { continue }
            if !optionsEnded, expandsTLS, DCMTKTLSFlags.keyAndCertificate.contains(argument), index + 1 < arguments.count {
                result += DCMTKTLSFlags.expand(key: arguments[index], certificate: arguments[index + 1])
                index += 2
                continue
            }
            result.append(optionsEnded ? argument : names[argument] ?? argument)
        }
        return result
    }
}
