namespace Platform.InferencePod.Jobs;

/// <summary>Where job documents are shared with the other replicas (Redis); absent when jobs stay on their replica.</summary>
public interface IJobStore
{
    /// <summary>Stores the document for <paramref name="ttl"/>. Throws when the store cannot take it.</summary>
    Task SaveAsync(string id, byte[] document, TimeSpan ttl);

    /// <summary>The document, or null when no replica stored one (or it expired). Throws when the store cannot answer.</summary>
    Task<byte[]?> GetAsync(string id);
}
