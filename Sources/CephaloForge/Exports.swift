// The library's one import: `import CephaloForge` brings every layer.
@_exported import ForgeCephalo
@_exported import ForgeCore
@_exported import ForgeFormats
@_exported import ForgeMeshing
@_exported import ForgeMetrics
@_exported import ForgeMorphology
@_exported import ForgePipeline
@_exported import ForgeProperties
@_exported import ForgeRender
@_exported import ForgeStatistics
@_exported import ForgeSynthesis
