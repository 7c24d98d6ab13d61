import Foundation

/// The folder where CephaloForge keeps what it learns between runs (what each
/// model server accepts): `$CEPHALO_FORGE_CACHE`, else `$XDG_CACHE_HOME/cephalo-forge`,
/// else `~/.cache/cephalo-forge`. Nothing in it is needed: deleting it only costs time.
public enum CacheFolder {
    public static func url(environment env: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = env["CEPHALO_FORGE_CACHE"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("cephalo-forge")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/cephalo-forge")
    }
}
