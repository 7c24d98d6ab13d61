import ForgeCephalo
import ForgeCore
import ForgeFormats
import ForgeRender
import Foundation

/// The pictures sent to a model: always one per request (see `CritiqueSheet`).
public enum ModelPictures {
    /// The longer side of a picture sent with a describe request.
    public static let describeSide = ImageAnalysis.maximumSide

    /// The critique picture of the design in `layout`: the render beside the slice montage
    /// (and the directional Young's modulus between them, when the design has one), or, when
    /// neither was drawn, the middle slice on its own; nil when there is nothing.
    public static func critiqueSheet(of layout: OutputLayout, sliceCount: Int) -> ChatImage? {
        let read = { (name: String) in try? PNGCodec.readRGB(layout.folder.appendingPathComponent(name)) }
        let render = read("preview.png"), sections = read(DesignImages.montage)
        let stiffness = read(DesignImages.stiffnessSurface)
        if render != nil || sections != nil,
           let png = try? PNGCodec.encode(CritiqueSheet.compose(render: render, sections: sections, stiffness: stiffness)) {
            return ChatImage(name: stiffness == nil ? "critique.png" : "critique-stiffness.png", png: png)
        }
        guard sliceCount > 0 else { return nil }
        let name = SliceStackWriter.fileName(z: sliceCount / 2)
        guard let data = try? InputFile.read(layout.slicesURL.appendingPathComponent(name), maximumBytes: 64 << 20) else { return nil }
        return ChatImage(name: "slices/" + name, png: data)
    }

    /// The picture at `path`, scaled down to at most `describeSide` pixels on its longer side
    /// (as the structure is rebuilt from it), as PNG.
    public static func describePicture(at path: String) throws -> ChatImage {
        let url = URL(fileURLWithPath: path)
        var image = try PNGCodec.readRGB(url)
        if max(image.width, image.height) > describeSide { image = image.scaled(toFit: describeSide) }
        return ChatImage(name: "input.png", png: try PNGCodec.encode(image))
    }
}
