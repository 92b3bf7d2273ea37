public enum AimsMetricsMarker {}
