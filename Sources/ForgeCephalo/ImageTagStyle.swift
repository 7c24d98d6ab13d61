/// How the images of a message are announced in its text.
///
/// Servers differ (see the README's serving table): vLLM, TGI, llama.cpp, Ollama and
/// mistral.rs from v0.7 insert the model's image tokens themselves (vLLM only the ones the
/// text lacks; mistral.rs always, so tags in the text are doubled); mistral.rs before v0.7
/// needs Phi-3-vision's `<|image_1|>` in the text. `auto` sends no tags unless the server
/// has been seen to want them, and learns that from a refusal.
public enum ImageTagStyle: String, Sendable, CaseIterable, Codable {
    /// No tags, unless the server was remembered to want a family's; a refusal that names
    /// image tags is answered by one retry with the model family's tags.
    case auto
    /// No tags: the server places the images.
    case none
    /// Phi-3-vision: `<|image_1|>`, `<|image_2|>`, … one per line before the text.
    case phi3
    /// Idefics2: one `<image>` per image before the text.
    case idefics2
    /// LLaVA: one `<image>` per image, each on its own line, before the text.
    case llava

    /// The tags a model family's own prompt format uses: Phi-3-vision for names with "phi",
    /// Idefics2 for "idefics", LLaVA for "llava"; nil for other names.
    public static func family(ofModel name: String) -> ImageTagStyle? {
        let lowered = name.lowercased()
        if lowered.contains("phi") { return .phi3 }
        if lowered.contains("idefics") { return .idefics2 }
        if lowered.contains("llava") { return .llava }
        return nil
    }

    /// The tags for `count` images, ending with a newline (empty for `none` and `auto`).
    public func tags(count: Int) -> String {
        guard count > 0 else { return "" }
        switch self {
        case .phi3: return (1...count).map { "<|image_\($0)|>" }.joined(separator: "\n") + "\n"
        case .idefics2: return String(repeating: "<image>", count: count) + "\n"
        case .llava: return String(repeating: "<image>\n", count: count)
        case .none, .auto: return ""
        }
    }

    /// Whether a server's error message is about image tags or placeholders not matching
    /// the images (so that other tags may be accepted): mistral.rs' "Total images must be
    /// the same as the number of image tags" and "prompt has N image tags but M images",
    /// vLLM's placeholder count errors, TGI's image token errors.
    public static func isTagRefusal(_ message: String) -> Bool {
        let text = message.lowercased()
        guard text.contains("image") else { return false }
        return ["tag", "placeholder", "token", "<|image", "<image>"].contains { text.contains($0) }
    }
}
