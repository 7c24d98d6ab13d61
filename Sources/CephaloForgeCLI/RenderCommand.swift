import ArgumentParser
import CephaloForge
import Foundation

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Redraw a design folder's renders, montage, plots and report.html, or render a mesh file.",
        discussion: """
            A design folder is redrawn in place. A mesh file (STL, or 3MF/OBJ/PLY/GLB) is rendered to \
            <name>.png beside it (or in --out; <name>-<format>.png for formats other than STL), with \
            further views in <name>-<view>.png. A mesh that is open, inside out or non-manifold is \
            rendered with a warning that says so.
            """)

    @Argument(help: ArgumentHelp("A design folder or a mesh file.", valueName: "path"))
    var path: String

    @OptionGroup(title: "Pictures") var imageArguments: ImageArguments

    @Option(name: .long, help: ArgumentHelp("Folder for the images of a mesh file.", valueName: "dir"))
    var out: String?

    func validate() throws {
        try validateOut(out)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("\(path) does not exist; pass a design folder or a mesh file")
        }
    }

    func run() throws {
        try reportingErrors {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let url = URL(fileURLWithPath: path)
            if isFolder.boolValue {
                let written = try DesignFolder(url).redraw(options: imageArguments.imageOptions)
                for warning in written.warnings { printError("warning: \(warning)") }
                print("wrote " + (written.renders + written.others + [ReportPage.fileName])
                    .map { url.appendingPathComponent($0).path }.joined(separator: "\n      "))
            } else {
                let (files, warnings) = try DesignFolder.renderMeshFile(url, into: out.map { URL(fileURLWithPath: $0) },
                                                                        options: imageArguments.imageOptions)
                for warning in warnings { printError("warning: \(warning)") }
                print("wrote " + files.map(\.path).joined(separator: "\n      "))
            }
        }
    }
}
