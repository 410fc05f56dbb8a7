namespace Platform.InferencePod.Inference;

/// <summary>An output the client asked for, by index into the model's outputs.</summary>
public readonly record struct RequestedOutput(int OutputIndex, bool Binary);
