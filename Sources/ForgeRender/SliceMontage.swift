import ForgeCore
import ForgeMorphology
import Foundation

/// A labelled sheet of cross-sections: evenly spaced z slices in a grid, then the central
/// x and y sections. Solid is dark on a light ground, as a legend under the panels says
/// (the PNG slices are the other way round: solid white); each panel keeps the voxel aspect.
public enum SliceMontage {
    public static let solid = SIMD3<UInt8>(40, 44, 52)
    public static let pore = SIMD3<UInt8>(236, 238, 242)
    public static let paper = SIMD3<UInt8>(255, 255, 255)

    /// The z indices shown: `count` slices spread evenly, first and last half a step in.
    public static func zIndices(depth nz: Int, count: Int) -> [Int] {
        let n = min(count, nz)
        return (0..<n).map { min(nz - 1, Int((Double($0) + 0.5) * Double(nz) / Double(n))) }
    }

    /// The montage of `mask` with voxel size `voxelSizeMM`; `panelPixels` is the longer side
    /// of one panel, `columns` the panels per row, `zSlices` how many z slices to show.
    public static func render(_ mask: VoxelMask, voxelSizeMM h: Double, panelPixels: Int = 220,
                              columns: Int = 4, zSlices: Int = 6) -> RGBImage {
        let s = mask.size
        let zs = s.nz == 1 ? [0] : zIndices(depth: s.nz, count: zSlices)
        var panels: [(label: String, width: Int, height: Int, value: (Int, Int) -> Bool)] = zs.map { z in
            (String(format: "z = %.2f mm", (Double(z) + 0.5) * h), s.nx, s.ny, { x, y in mask[x, y, z] })
        }
        if s.nz > 1 {
            let xc = s.nx / 2, yc = s.ny / 2
            panels.append((String(format: "x = %.2f mm (y-z)", (Double(xc) + 0.5) * h), s.ny, s.nz,
                           { u, v in mask[xc, u, v] }))
            panels.append((String(format: "y = %.2f mm (x-z)", (Double(yc) + 0.5) * h), s.nx, s.nz,
                           { u, v in mask[u, yc, v] }))
        }
        let longest = max(s.nx, s.ny, s.nz)
        let zoom = max(1, panelPixels / longest)
        let scale = longest * zoom >= 160 ? 2 : 1
        let labelHeight = RGBImage.textHeight(scale: scale) + 8
        let gap = 12
        let cellW = longest * zoom, cellH = longest * zoom + labelHeight
        let cols = min(columns, panels.count), rows = (panels.count + cols - 1) / cols
        let legendHeight = RGBImage.textHeight(scale: scale) + gap
        var image = RGBImage(width: gap + cols * (cellW + gap), height: gap + rows * (cellH + gap) + legendHeight, fill: paper)
        for (k, panel) in panels.enumerated() {
            let left = gap + (k % cols) * (cellW + gap), top = gap + (k / cols) * (cellH + gap)
            // A label wider than its panel is drawn smaller.
            let fits = RGBImage.textWidth(panel.label, scale: scale) <= cellW
            image.draw(text: panel.label, x: left, y: top + (fits ? 0 : RGBImage.textHeight(scale: 1) / 2),
                       scale: fits ? scale : 1, color: SIMD3(30, 30, 36))
            let y0 = top + labelHeight
            // Row 0 of an image is the top: v (y or z) grows upwards on screen.
            for v in 0..<panel.height {
                for u in 0..<panel.width {
                    let color = panel.value(u, v) ? solid : pore
                    image.fill(x: left + u * zoom, y: y0 + (panel.height - 1 - v) * zoom, width: zoom, height: zoom, color: color)
                }
            }
        }
        // Legend: a swatch of each phase with its name.
        let swatch = RGBImage.textHeight(scale: scale), legendTop = gap + rows * (cellH + gap)
        var x = gap
        for (name, color) in [("solid", solid), ("pores", pore)] {
            image.fill(x: x, y: legendTop, width: swatch, height: swatch, color: SIMD3(30, 30, 36))
            image.fill(x: x + 1, y: legendTop + 1, width: swatch - 2, height: swatch - 2, color: color)
            x += swatch + 6
            image.draw(text: name, x: x, y: legendTop, scale: scale, color: SIMD3(30, 30, 36))
            x += RGBImage.textWidth(name, scale: scale) + 3 * gap
        }
        return image
    }
}
