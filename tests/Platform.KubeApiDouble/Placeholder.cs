namespace Platform.KubeApiDouble; public static class Placeholder {}
