; Inno Setup script of the Windows installer (Inno Setup 6). Build the bundle on Windows first, in a venv:
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e .[build]
;   .venv\Scripts\python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller installer\pos.spec
; then compile this script (paths are relative to installer\):
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\pos.iss
; The setup file lands in dist\. The till's data stays in the user's data folder
; (%LOCALAPPDATA%\pos-desktop\pos-desktop): uninstalling never deletes sales.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "POS Till"
#define AppPublisher "pos-desktop"
#define GuiExe "pos-gui.exe"

[Setup]
AppId={{6E0B7A52-3F1C-4B8E-9C5D-2A7F4E1B9D30}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\POS Till
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\dist
OutputBaseFilename=pos-till-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
UninstallDisplayIcon={app}\{#GuiExe}
CloseApplications=yes
; a till must not be updated while it sells: Setup asks to close pos-gui.exe first

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese is official only in recent Inno Setup releases (else copy ChineseSimplified.isl from
; jrsoftware.org/files/istrans into Inno Setup's Languages folder): used when the compiler has it.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "Add the pos command to PATH (for scripts and support)"; Flags: unchecked

[Files]
Source: "..\dist\pos\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#GuiExe}"
Name: "{group}\{#AppName} (demo store)"; Filename: "{app}\{#GuiExe}"; Parameters: "--demo"
Name: "{group}\Support bundle"; Filename: "{app}\pos.exe"; Parameters: "diagnostics"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; \
    ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE,
      'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
// Take the app folder off the PATH again (the addtopath task appended it as ";{app}").
var
  Path, Entry: string;
  P: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE,
      'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path) then
    exit;
  Entry := ';' + ExpandConstant('{app}');
  P := Pos(Uppercase(Entry) + ';', Uppercase(Path) + ';');
  if P = 0 then
    exit;
  Delete(Path, P, Length(Entry));
  RegWriteExpandStringValue(HKEY_LOCAL_MACHINE,
    'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path);
end;
