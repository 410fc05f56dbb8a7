namespace Platform.Operator.Tests; public class Smoke { [Fact] public void Ok() => Assert.True(true); }
