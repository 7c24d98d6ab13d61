extension ScalarGrid {
    /// Trilinear value at a point in mm; −1 (void) outside the box.
    public func interpolated(atMM p: SIMD3<Double>) -> Float {
        let extent = extentMM
        guard p.x >= 0, p.y >= 0, p.z >= 0, p.x <= extent.x, p.y <= extent.y, p.z <= extent.z else { return -1 }
        let u = p / voxelSizeMM - 0.5
        func split(_ v: Double, _ n: Int) -> (Int, Int, Float) {
            let c = min(max(v, 0), Double(n - 1))
            let i = min(Int(c), max(n - 2, 0))
            return (i, min(i + 1, n - 1), Float(c - Double(i)))
        }
        let (x0, x1, fx) = split(u.x, size.nx), (y0, y1, fy) = split(u.y, size.ny), (z0, z1, fz) = split(u.z, size.nz)
        func lerp(_ a: Float, _ b: Float, _ t: Float) -> Float { a + (b - a) * t }
        let c00 = lerp(self[x0, y0, z0], self[x1, y0, z0], fx), c10 = lerp(self[x0, y1, z0], self[x1, y1, z0], fx)
        let c01 = lerp(self[x0, y0, z1], self[x1, y0, z1], fx), c11 = lerp(self[x0, y1, z1], self[x1, y1, z1], fx)
        return lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz)
    }
}
