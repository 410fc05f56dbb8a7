namespace Platform.InferencePod.Preprocessing;

/// <summary>One ranked class: its index in the model's output, its label, its score.</summary>
public readonly record struct Prediction(int Index, string Label, double Score);
