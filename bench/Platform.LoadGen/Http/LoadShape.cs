namespace Platform.LoadGen.Http;

/// <summary>Closed: a fixed number of clients, each sending when its previous answer arrived. Open: arrivals at a fixed rate.</summary>
internal enum LoadMode { Closed, Open }

/// <summary>How open-loop arrivals are spaced: exponential gaps (a Poisson process) or equal gaps.</summary>
internal enum ArrivalProcess { Poisson, Constant }

/// <summary>How tensors travel: JSON "data" arrays, or the binary tensor data extension.</summary>
internal enum PayloadKind { Json, Binary }
