namespace Platform.KubeApiDouble.Storage;

/// <summary>Lets waiters await "something changed" instead of polling: each notification completes the current task.</summary>
internal sealed class ChangeNotifier
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next notification.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }
}
