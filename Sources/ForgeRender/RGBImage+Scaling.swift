import ForgeCore

extension RGBImage {
    /// The image scaled to fit inside `side` × `side` pixels, keeping its aspect: box
    /// filtering when shrinking, nearest neighbour when enlarging.
    public func scaled(toFit side: Int) -> RGBImage {
        let factor = Double(side) / Double(max(width, height))
        let w = max(1, Int((Double(width) * factor).rounded())), h = max(1, Int((Double(height) * factor).rounded()))
        var out = [UInt8](repeating: 0, count: 3 * w * h)
        for y in 0..<h {
            let y0 = y * height / h, y1 = max(y0 + 1, (y + 1) * height / h)
            for x in 0..<w {
                let x0 = x * width / w, x1 = max(x0 + 1, (x + 1) * width / w)
                var sum = SIMD3<Int>.zero
                for sy in y0..<y1 {
                    for sx in x0..<x1 {
                        let i = 3 * (sy * width + sx)
                        sum &+= SIMD3(Int(pixels[i]), Int(pixels[i + 1]), Int(pixels[i + 2]))
                    }
                }
                let n = (y1 - y0) * (x1 - x0)
                let o = 3 * (y * w + x)
                out[o] = UInt8((sum.x + n / 2) / n)
                out[o + 1] = UInt8((sum.y + n / 2) / n)
                out[o + 2] = UInt8((sum.z + n / 2) / n)
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }

    /// A gray image (one byte per pixel, rows top first) as RGB.
    public init(gray: [UInt8], width: Int, height: Int) {
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        for i in 0..<(width * height) {
            pixels[3 * i] = gray[i]
            pixels[3 * i + 1] = gray[i]
            pixels[3 * i + 2] = gray[i]
        }
        self.init(width: width, height: height, pixels: pixels)
    }
}
