; Inno Setup script for pdpacket (Windows). Built by `py quickstart.py installer`
; (packaging/build_installer.py passes AppVersion and FrozenDir).
; Not built on the development machine: see README "Installers" for where it was tested.
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef FrozenDir
  #define FrozenDir "..\..\build\frozen\pdpacket"
#endif

[Setup]
AppId={{5B0F3C1E-7A52-4C5E-9E0B-6B2D3E1A9F10}
AppName=pdpacket
AppVersion={#AppVersion}
AppPublisher=pdpacket developers
DefaultDirName={autopf}\pdpacket
DefaultGroupName=pdpacket
OutputBaseFilename=pdpacket-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ChangesEnvironment=yes
UninstallDisplayIcon={app}\pdpacket-window.exe
; Firms sign installers: set SignTool in the IDE or pass /S on the iscc command line
; (see README "Signing").

[Files]
Source: "{#FrozenDir}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\pdpacket"; Filename: "{app}\pdpacket-window.exe"
Name: "{autodesktop}\pdpacket"; Filename: "{app}\pdpacket-window.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked
Name: "addtopath"; Description: "Add the pdpacket command to PATH"

[Registry]
; .pdpacket case archives open (import) in pdpacket
Root: HKA; Subkey: "Software\Classes\.pdpacket"; ValueType: string; ValueName: ""; ValueData: "pdpacket.archive"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\pdpacket.archive"; ValueType: string; ValueName: ""; ValueData: "pdpacket case archive"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\pdpacket.archive\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\pdpacket-window.exe,0"
Root: HKA; Subkey: "Software\Classes\pdpacket.archive\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\pdpacket-window.exe"" open ""%1"""
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Paths) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;

[Run]
Filename: "{app}\pdpacket-window.exe"; Description: "Start pdpacket"; Flags: nowait postinstall skipifsilent
