import ForgeCore

/// The one picture a critic is shown: the shaded render on the left, the cross-sections on
/// the right, each under a label, on white.
///
/// It is 960 × 440 pixels. One picture per request is what every server takes (mistral.rs
/// before v0.9.1 accepts one image for Phi-3-vision, older vLLM one per prompt, and
/// mistral.rs resizes all images of a request to the largest of them); 960 pixels is within
/// Idefics2's longest edge (980), so it is not scaled down there, and with Phi-3-vision's
/// 16 crops it costs about 2.4 k image tokens.
public enum CritiqueSheet {
    public static let width = 960
    public static let height = 440
    static let margin = 10
    static let labelScale = 2
    static let renderSide = 400

    /// The sheet for `render` and `sections`; either may be missing (its half says so). With
    /// `stiffness` (the directional Young's modulus surface) the sheet has three panels:
    /// render, stiffness, cross-sections.
    public static func compose(render: RGBImage?, sections: RGBImage?, stiffness: RGBImage? = nil) -> RGBImage {
        if let stiffness { return composeThree(render: render, stiffness: stiffness, sections: sections) }
        var sheet = RGBImage(width: width, height: height)
        let labelHeight = RGBImage.textHeight(scale: labelScale) + 2 * margin
        let panelTop = labelHeight
        let panelHeight = height - panelTop - margin
        let leftWidth = renderSide, rightLeft = margin + renderSide + 2 * margin
        let rightWidth = width - rightLeft - margin
        sheet.draw(text: "3D render (iso), scale in mm", x: margin, y: margin, scale: labelScale)
        sheet.draw(text: "Cross-sections: solid dark, pores light", x: rightLeft, y: margin, scale: labelScale)
        place(render, in: &sheet, x: margin, y: panelTop, width: leftWidth, height: panelHeight)
        place(sections, in: &sheet, x: rightLeft, y: panelTop, width: rightWidth, height: panelHeight)
        // A thin rule between the halves.
        sheet.fill(x: margin + renderSide + margin, y: panelTop, width: 1, height: panelHeight, color: SIMD3(200, 200, 206))
        return sheet
    }

    static func composeThree(render: RGBImage?, stiffness: RGBImage, sections: RGBImage?) -> RGBImage {
        var sheet = RGBImage(width: width, height: height)
        let panelTop = RGBImage.textHeight(scale: labelScale) + 2 * margin
        let panelHeight = height - panelTop - margin
        let renderWidth = 300, stiffnessWidth = 290
        let stiffnessLeft = margin + renderWidth + 2 * margin
        let sectionsLeft = stiffnessLeft + stiffnessWidth + 2 * margin
        let sectionsWidth = width - sectionsLeft - margin
        sheet.draw(text: "3D render (iso)", x: margin, y: margin, scale: labelScale)
        sheet.draw(text: "Young's modulus", x: stiffnessLeft, y: margin, scale: labelScale)
        sheet.draw(text: "Cross-sections", x: sectionsLeft, y: margin, scale: labelScale)
        place(render, in: &sheet, x: margin, y: panelTop, width: renderWidth, height: panelHeight)
        place(stiffness, in: &sheet, x: stiffnessLeft, y: panelTop, width: stiffnessWidth, height: panelHeight)
        place(sections, in: &sheet, x: sectionsLeft, y: panelTop, width: sectionsWidth, height: panelHeight)
        for rule in [stiffnessLeft - margin, sectionsLeft - margin] {
            sheet.fill(x: rule, y: panelTop, width: 1, height: panelHeight, color: SIMD3(200, 200, 206))
        }
        return sheet
    }

    /// `image` scaled to fit the box, centred in it; "not available" when there is none.
    static func place(_ image: RGBImage?, in sheet: inout RGBImage, x: Int, y: Int, width w: Int, height h: Int) {
        guard let image, image.width > 0, image.height > 0 else {
            sheet.draw(text: "not available", x: x + 8, y: y + h / 2, scale: labelScale, color: SIMD3(120, 120, 128))
            return
        }
        let factor = min(Double(w) / Double(image.width), Double(h) / Double(image.height))
        let side = max(1, Int((Double(max(image.width, image.height)) * factor).rounded(.down)))
        let fitted = image.scaled(toFit: side)
        sheet.paste(fitted, x: x + (w - fitted.width) / 2, y: y + (h - fitted.height) / 2)
    }
}
