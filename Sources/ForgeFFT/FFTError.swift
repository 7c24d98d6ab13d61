/// Why a Fourier transform could not be set up.
public enum FFTError: Error, CustomStringConvertible {
    case outOfMemory(bytes: Int)
    case planFailed(dimensions: [Int])

    public var description: String {
        switch self {
        case let .outOfMemory(bytes):
            return "FFTW could not allocate \(bytes / 1_048_576) MiB for the transform: use a smaller size"
        case let .planFailed(dimensions):
            return "FFTW could not plan a transform of \(dimensions.map(String.init).joined(separator: "x"))"
        }
    }
}
