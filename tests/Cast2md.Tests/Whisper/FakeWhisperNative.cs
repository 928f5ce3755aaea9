using System.Runtime.InteropServices;
using Cast2md.Whisper.Native;

namespace Cast2md.Tests.Whisper;

/// <summary>
/// Stands in for libwhisper behind <see cref="IWhisperNative"/> (as Whisper.net's FakeNativeWhisper), so error
/// paths run without native code. By default everything succeeds: a model loads, whisper_full reports progress
/// 0 and 50, checks the abort callback, and produces <see cref="Segments"/>.
/// </summary>
internal unsafe delegate void TamperAction(WhisperFullParams* defaults);

internal sealed unsafe class FakeWhisperNative : IWhisperNative, IDisposable
{
    private readonly List<nint> _strings = [];
    private readonly nint _en;

    public FakeWhisperNative() => _en = Utf8("en");

    public string Version { get; set; } = WhisperAbi.Version;
    public nint ContextToReturn { get; set; } = 0x1000;
    public nint StateToReturn { get; set; } = 0x2000;
    public bool Multilingual { get; set; }
    public int DetectedLanguageId { get; set; }
    public float DetectedProbability { get; set; } = 0.9f;

    /// <summary>What whisper_full_with_state returns after it ran the callbacks.</summary>
    public int FullResult { get; set; }

    /// <summary>Tweaks the defaults whisper_full_default_params_by_ref hands out (to simulate layout drift).</summary>
    public TamperAction? TamperDefaults { get; set; }

    public (long T0, long T1, string Text)[] Segments { get; set; } = [(0, 150, " Hello"), (150, 320, " world.")];

    public List<WhisperFullParams> FullCalls { get; } = [];

    /// <summary>language and initial_prompt as whisper_full saw them (the pointers are freed after the call).</summary>
    public List<(string? Language, string? Prompt)> FullStrings { get; } = [];
    public List<string> LoadedPaths { get; } = [];
    public List<WhisperContextParams> LoadedWith { get; } = [];
    public int FreedContexts { get; private set; }
    public int FreedStates { get; private set; }
    public int FreedFullParams { get; private set; }
    public int FreedContextParams { get; private set; }
    public int AutoDetectCalls { get; private set; }
    public bool AbortRequested { get; private set; }

    /// <summary>The whisper.cpp 1.9.1 GREEDY defaults (src/whisper.cpp whisper_full_default_params).</summary>
    public WhisperFullParams NativeDefaults() => new()
    {
        strategy = WhisperSamplingStrategy.Greedy,
        n_threads = 4,
        n_max_text_ctx = 16384,
        no_context = 1,
        print_progress = 1,
        print_timestamps = 1,
        thold_pt = 0.01f,
        thold_ptsum = 0.01f,
        language = _en,
        suppress_blank = 1,
        max_initial_ts = 1.0f,
        length_penalty = -1.0f,
        temperature_inc = 0.2f,
        entropy_thold = 2.4f,
        logprob_thold = -1.0f,
        no_speech_thold = 0.6f,
        greedy = new() { best_of = 5 },
        beam_search = new() { beam_size = -1, patience = -1.0f },
        grammar_penalty = 100.0f,
        vad_params = new()
        {
            threshold = 0.5f, min_speech_duration_ms = 250, min_silence_duration_ms = 100,
            max_speech_duration_s = float.MaxValue, speech_pad_ms = 30, samples_overlap = 0.1f,
        },
    };

    public static WhisperContextParams NativeContextDefaults() => new()
    {
        use_gpu = 1, flash_attn = 1, gpu_device = 0, dtw_n_top = -1, dtw_mem_size = 1024 * 1024 * 128,
    };

    public byte* whisper_version() => (byte*)Utf8(Version);
    public byte* whisper_print_system_info() => (byte*)Utf8("FAKE = 1");
    public void whisper_log_set(nint log_callback, nint user_data) { }

    public WhisperContextParams* whisper_context_default_params_by_ref()
    {
        var p = (WhisperContextParams*)NativeMemory.Alloc((nuint)sizeof(WhisperContextParams));
        *p = NativeContextDefaults();
        return p;
    }

    public void whisper_free_context_params(WhisperContextParams* @params)
    {
        FreedContextParams++;
        NativeMemory.Free(@params);
    }

    public WhisperFullParams* whisper_full_default_params_by_ref(WhisperSamplingStrategy strategy)
    {
        var p = (WhisperFullParams*)NativeMemory.Alloc((nuint)sizeof(WhisperFullParams));
        *p = NativeDefaults();
        p->strategy = strategy;
        TamperDefaults?.Invoke(p);
        return p;
    }

    public void whisper_free_params(WhisperFullParams* @params)
    {
        FreedFullParams++;
        NativeMemory.Free(@params);
    }

    public nint whisper_init_from_file_with_params_no_state(byte* path_model, WhisperContextParams @params)
    {
        LoadedPaths.Add(Marshal.PtrToStringUTF8((nint)path_model)!);
        LoadedWith.Add(@params);
        return ContextToReturn;
    }

    public nint whisper_init_state(nint ctx) => StateToReturn;
    public void whisper_free(nint ctx) => FreedContexts++;
    public void whisper_free_state(nint state) => FreedStates++;
    public int whisper_is_multilingual(nint ctx) => Multilingual ? 1 : 0;

    public int whisper_pcm_to_mel_with_state(nint ctx, nint state, float* samples, int n_samples, int n_threads) => 0;
    public int whisper_lang_max_id() => 99;

    public int whisper_lang_id(byte* lang) => Marshal.PtrToStringUTF8((nint)lang) switch
    {
        "en" or "english" => 0,
        "de" or "german" => 2,
        _ => -1,
    };

    public byte* whisper_lang_str(int id) => (byte*)Utf8(id switch { 0 => "en", 2 => "de", _ => "xx" });

    public int whisper_lang_auto_detect_with_state(nint ctx, nint state, int offset_ms, int n_threads, float* lang_probs)
    {
        AutoDetectCalls++;
        lang_probs[DetectedLanguageId] = DetectedProbability;
        return DetectedLanguageId;
    }

    public int whisper_full_with_state(nint ctx, nint state, WhisperFullParams @params, float* samples, int n_samples)
    {
        FullCalls.Add(@params);
        FullStrings.Add((Marshal.PtrToStringUTF8(@params.language), Marshal.PtrToStringUTF8(@params.initial_prompt)));
        var progress = (delegate* unmanaged[Cdecl]<nint, nint, int, nint, void>)@params.progress_callback;
        var encoderBegin = (delegate* unmanaged[Cdecl]<nint, nint, nint, byte>)@params.encoder_begin_callback;
        var abort = (delegate* unmanaged[Cdecl]<nint, byte>)@params.abort_callback;
        foreach (var percent in new[] { 0, 50 })
        {
            if (progress is not null)
                progress(ctx, state, percent, @params.progress_callback_user_data);
            if (encoderBegin is not null && encoderBegin(ctx, state, @params.encoder_begin_callback_user_data) == 0)
            {
                AbortRequested = true;
                return 0; // whisper.cpp breaks out of its loop and returns 0 when encoder_begin says stop
            }
            if (abort is not null && abort(@params.abort_callback_user_data) != 0)
            {
                AbortRequested = true;
                return -6; // "failed to encode"
            }
        }
        return FullResult;
    }

    public int whisper_full_n_segments_from_state(nint state) => Segments.Length;
    public long whisper_full_get_segment_t0_from_state(nint state, int i_segment) => Segments[i_segment].T0;
    public long whisper_full_get_segment_t1_from_state(nint state, int i_segment) => Segments[i_segment].T1;
    public byte* whisper_full_get_segment_text_from_state(nint state, int i_segment) => (byte*)Utf8(Segments[i_segment].Text);

    public void Dispose()
    {
        foreach (var s in _strings)
            Marshal.FreeCoTaskMem(s);
        _strings.Clear();
    }

    private nint Utf8(string text)
    {
        var p = Marshal.StringToCoTaskMemUTF8(text);
        _strings.Add(p);
        return p;
    }
}
