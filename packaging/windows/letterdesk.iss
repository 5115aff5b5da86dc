; Inno Setup 6 script for LetterDesk on Windows.
;
; NOT BUILT OR TESTED ON THE DEVELOPMENT MACHINE (Linux, no Windows):
; .github/workflows/build.yml builds it on a Windows runner, installs it
; silently and runs the installed app's --self-test. Same bundle as Linux:
; packaging/letterdesk.spec builds dist\letterdesk\ first.
;
;   pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\letterdesk.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\letterdesk.iss
;
; gives dist\LetterDesk-<version>-windows-x64-setup.exe. Installs per user
; by default (no administrator rights needed; the setup offers all users),
; with a Start menu entry and an optional desktop icon. Uninstalling
; removes the program only: the user's data folder
; (%APPDATA%\LetterDesk) and saved passwords in Windows
; Credential Manager stay theirs.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z packaging\windows\letterdesk.iss
#endif

#define AppName "LetterDesk"
#define AppExe "letterdesk.exe"
#define Repo "..\.."

[Setup]
; The AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{6C1B7E53-2F4A-4D0C-9E7B-2A8D5F3C9B41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=LetterDesk developers
AppPublisherURL=https://github.com/letterdesk/letterdesk
AppSupportURL=https://github.com/letterdesk/letterdesk/issues
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Repo}\dist
OutputBaseFilename=LetterDesk-{#AppVersion}-windows-x64-setup
SetupIconFile={#Repo}\resources\icons\letterdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Closes a running LetterDesk before files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: letterdesk.exe and _internal\.
Source: "{#Repo}\dist\letterdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program folder may gain at run time (Python never writes
; there from a bundle); the user's data folder is left alone on purpose.
Type: filesandordirs; Name: "{app}\_internal\__pycache__"
