using Platform.InferencePod.Configuration;
using Platform.InferencePod.Gpu;
using Platform.InferencePod.Hosting;
using Platform.InferencePod.Model;
using Platform.InferencePod.Tests.Support;

namespace Platform.InferencePod.Tests.Gpu;

/// <summary>The CUDA provider's settings, checked at start; the one-line reasons the CUDA check gives.</summary>
public sealed class CudaSettingsTests
{
    public static TheoryData<string[], string> BadSettings => new()
    {
        { ["--Gpu:MemoryLimitBytes=-1"], "Gpu:MemoryLimitBytes must be 0 (no limit) or at least 33554432 bytes (got -1)" },
        { ["--Gpu:MemoryLimitBytes=1000"], "Gpu:MemoryLimitBytes must be 0 (no limit) or at least 33554432 bytes (got 1000)" },
        { ["--Gpu:ArenaExtendStrategy=Doubling"], "Gpu:ArenaExtendStrategy must be 'NextPowerOfTwo' or 'SameAsRequested' (got 'Doubling')" },
        { ["--Gpu:CudnnConvAlgoSearch=fast"], "Gpu:CudnnConvAlgoSearch must be 'Exhaustive', 'Heuristic' or 'Default' (got 'fast')" },
        { ["--Gpu:CudaGraph=true"], "Gpu:CudaGraph is not supported" },
        { ["--Gpu:CudaGraph=maybe"], "Gpu:CudaGraph" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_cuda_setting_stops_start_up_with_one_line_naming_it(string[] settings, string expected)
    {
        var error = Assert.Throws<StartupException>(() => PodApp.Build([$"--Model:Path={TestModels.Mlp}", .. settings]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_settings_become_the_cuda_providers_option_strings()
    {
        var options = CudaProviderOptions.For(1, new GpuOptions { MemoryLimitBytes = 1L << 30, ArenaExtendStrategy = "SameAsRequested", CudnnConvAlgoSearch = "Heuristic" });

        Assert.Equal("1", options["device_id"]);
        Assert.Equal("1073741824", options["gpu_mem_limit"]);
        Assert.Equal("kSameAsRequested", options["arena_extend_strategy"]);
        Assert.Equal("HEURISTIC", options["cudnn_conv_algo_search"]);
        Assert.Equal("0", options["enable_cuda_graph"]);
        Assert.DoesNotContain("gpu_mem_limit", CudaProviderOptions.For(0, new GpuOptions()).Keys);
        Assert.Equal("EXHAUSTIVE", CudaProviderOptions.For(0, new GpuOptions())["cudnn_conv_algo_search"]);
    }

    [Theory]
    [InlineData("cuda", "", 4, "1,2,3,4")]
    [InlineData("cuda", "1,4", 4, "1,4")]
    [InlineData("cpu", "", 4, "")]
    [InlineData("cuda", "", 1, "1")]
    public void On_cuda_warm_up_covers_every_batch_size_the_batcher_can_send_unless_sizes_are_given(string provider, string given, int maxBatch, string expected)
    {
        var warmup = new WarmupOptions { BatchSizes = given };

        warmup.ApplyProviderDefault(provider, maxBatch);

        Assert.Equal(expected, warmup.BatchSizes);
    }

    public static TheoryData<string[], int?, string, int, string?> Findings => new()
    {
        { ["libcudart.so.13", "libcudnn.so.9"], null, "", 0, "the CUDA execution provider cannot load: libcudart.so.13, libcudnn.so.9 not found" },
        { [], 0, "error 100, no CUDA-capable device is detected", 0, "no CUDA device is visible: 0 devices (cudaGetDeviceCount: error 100, no CUDA-capable device is detected)" },
        { [], 2, "", 2, "Model:DeviceId is 2 but 2 CUDA device(s) are visible (ids 0 to 1)" },
        { [], 2, "", 1, null },
    };

    [Theory]
    [MemberData(nameof(Findings))]
    public void The_cuda_check_names_the_missing_libraries_or_the_device_count(string[] missing, int? count, string error, int deviceId, string? expected)
    {
        var line = CudaRuntimeCheck.Describe(missing, count, error, deviceId);

        if (expected is null) Assert.Null(line);
        else Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line ?? "");
    }

    [Fact]
    public void The_elf_reader_lists_what_onnx_runtime_links()
    {
        var architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var library = Path.Combine(AppContext.BaseDirectory, "runtimes", $"linux-{architecture}", "native", "libonnxruntime.so");

        var needed = ElfNeededLibraries.Read(library);

        Assert.Contains("libc.so.6", needed);
        Assert.Contains("libstdc++.so.6", needed);
        Assert.All(needed, n => Assert.Matches(@"^[A-Za-z0-9_.+-]+\.so(\.[0-9]+)*$", n));
    }

    [Theory]
    [InlineData("not an ELF file at all, only some words and more words to fill sixty four", "model.onnx is not an ELF file")]
    [InlineData("short", "model.onnx is not an ELF file")]
    public void The_elf_reader_refuses_a_file_that_is_not_elf(string content, string expected)
    {
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(content));

        var error = Assert.Throws<InvalidDataException>(() => ElfNeededLibraries.Read(stream, "model.onnx"));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void The_elf_reader_refuses_a_truncated_library_instead_of_reading_past_its_end()
    {
        var architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var library = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "runtimes", $"linux-{architecture}", "native", "libonnxruntime.so"));
        using var truncated = new MemoryStream(library, 0, 4096);

        Assert.Throws<InvalidDataException>(() => ElfNeededLibraries.Read(truncated, "libonnxruntime.so"));
    }
}
