using System.Runtime.InteropServices;

namespace Cast2md.Whisper.Native;

/// <summary>
/// The ABI guard. whisper.cpp changes whisper_full_params between releases (debug_mode, suppress_regex,
/// vad_params, and carry_initial_prompt inserted mid-struct in 1.8.1), and a managed struct that disagrees with
/// the native one corrupts memory silently (Whisper.net #139, #176, PR #105, commit 369baafa). So: the version
/// is pinned and checked at load, native defaults are read through our structs at load (the last fields move
/// first when something is inserted), and a test compares every offset with a C program (<see cref="Layout"/>).
/// </summary>
internal static class WhisperAbi
{
    /// <summary>The whisper.cpp release the structs in <see cref="WhisperFullParams"/> etc. mirror (native/whisper.lock).</summary>
    public const string Version = "1.9.1";

    /// <summary>
    /// Every mirrored struct with its C name and its fields in declaration order (C names = managed names).
    /// The layout test generates its C probe from this list and checks it covers every managed field.
    /// </summary>
    public static IReadOnlyList<(string CType, Type ManagedType, string[] Fields)> Layout { get; } =
    [
        ("struct whisper_context_params", typeof(WhisperContextParams),
        [
            "use_gpu", "flash_attn", "gpu_device", "dtw_token_timestamps", "dtw_aheads_preset", "dtw_n_top",
            "dtw_aheads", "dtw_mem_size",
        ]),
        ("whisper_aheads", typeof(WhisperAheads), ["n_heads", "heads"]),
        ("whisper_vad_params", typeof(WhisperVadParams),
        [
            "threshold", "min_speech_duration_ms", "min_silence_duration_ms", "max_speech_duration_s",
            "speech_pad_ms", "samples_overlap",
        ]),
        ("struct whisper_full_params", typeof(WhisperFullParams),
        [
            "strategy", "n_threads", "n_max_text_ctx", "offset_ms", "duration_ms",
            "translate", "no_context", "no_timestamps", "single_segment", "print_special", "print_progress",
            "print_realtime", "print_timestamps",
            "token_timestamps", "thold_pt", "thold_ptsum", "max_len", "split_on_word", "max_tokens",
            "debug_mode", "audio_ctx", "tdrz_enable", "suppress_regex",
            "initial_prompt", "carry_initial_prompt", "prompt_tokens", "prompt_n_tokens",
            "language", "detect_language", "suppress_blank", "suppress_nst",
            "temperature", "max_initial_ts", "length_penalty",
            "temperature_inc", "entropy_thold", "logprob_thold", "no_speech_thold",
            "greedy", "beam_search",
            "new_segment_callback", "new_segment_callback_user_data",
            "progress_callback", "progress_callback_user_data",
            "encoder_begin_callback", "encoder_begin_callback_user_data",
            "abort_callback", "abort_callback_user_data",
            "logits_filter_callback", "logits_filter_callback_user_data",
            "grammar_rules", "n_grammar_rules", "i_start_rule", "grammar_penalty",
            "vad", "vad_model_path", "vad_params",
        ]),
        // The anonymous nested structs, addressed through a member of whisper_full_params in the C probe.
        ("struct whisper_full_params.greedy", typeof(WhisperGreedyParams), ["best_of"]),
        ("struct whisper_full_params.beam_search", typeof(WhisperBeamSearchParams), ["beam_size", "patience"]),
    ];

    /// <summary>Throws <see cref="WhisperAbiMismatchException"/> unless <paramref name="actual"/> is <see cref="Version"/>.</summary>
    public static void CheckVersion(string? actual)
    {
        if (actual == Version)
            return;
        var shown = string.IsNullOrEmpty(actual) ? "(unknown)" : actual;
        throw new WhisperAbiMismatchException(Version, shown,
            $"libwhisper is version {shown}, but cast2md was built against whisper.cpp {Version}; their structs differ. " +
            "Rebuild the native library with `make setup` (native/build-whisper.sh), or point CAST2MD_WHISPER_LIB at a " +
            $"whisper.cpp {Version} build.");
    }

    /// <summary>
    /// Compares the native defaults, read through our structs, with what whisper.cpp <see cref="Version"/> sets.
    /// Returns one line per field that disagrees (empty when the layout looks right).
    /// </summary>
    public static List<string> CheckDefaults(in WhisperFullParams greedy, in WhisperContextParams context)
    {
        var problems = new List<string>();
        void Expect<T>(string field, T actual, T expected) where T : IEquatable<T>
        {
            if (!actual.Equals(expected))
                problems.Add($"{field} = {actual} (expected {expected})");
        }

        Expect("whisper_full_params.strategy", (int)greedy.strategy, (int)WhisperSamplingStrategy.Greedy);
        Expect("whisper_full_params.n_max_text_ctx", greedy.n_max_text_ctx, 16384);
        Expect("whisper_full_params.print_progress", greedy.print_progress, (byte)1);
        Expect("whisper_full_params.thold_pt", greedy.thold_pt, 0.01f);
        Expect("whisper_full_params.thold_ptsum", greedy.thold_ptsum, 0.01f);
        Expect("whisper_full_params.suppress_regex", greedy.suppress_regex, (nint)0);
        Expect("whisper_full_params.initial_prompt", greedy.initial_prompt, (nint)0);
        Expect("whisper_full_params.carry_initial_prompt", greedy.carry_initial_prompt, (byte)0);
        Expect("whisper_full_params.suppress_blank", greedy.suppress_blank, (byte)1);
        Expect("whisper_full_params.max_initial_ts", greedy.max_initial_ts, 1.0f);
        Expect("whisper_full_params.length_penalty", greedy.length_penalty, -1.0f);
        Expect("whisper_full_params.temperature_inc", greedy.temperature_inc, 0.2f);
        Expect("whisper_full_params.entropy_thold", greedy.entropy_thold, 2.4f);
        Expect("whisper_full_params.logprob_thold", greedy.logprob_thold, -1.0f);
        Expect("whisper_full_params.no_speech_thold", greedy.no_speech_thold, 0.6f);
        Expect("whisper_full_params.greedy.best_of", greedy.greedy.best_of, 5);
        Expect("whisper_full_params.beam_search.beam_size", greedy.beam_search.beam_size, -1);
        Expect("whisper_full_params.beam_search.patience", greedy.beam_search.patience, -1.0f);
        Expect("whisper_full_params.abort_callback", greedy.abort_callback, (nint)0);
        Expect("whisper_full_params.n_grammar_rules", greedy.n_grammar_rules, (nuint)0);
        Expect("whisper_full_params.grammar_penalty", greedy.grammar_penalty, 100.0f);
        Expect("whisper_full_params.vad", greedy.vad, (byte)0);
        Expect("whisper_full_params.vad_model_path", greedy.vad_model_path, (nint)0);
        Expect("whisper_full_params.vad_params.threshold", greedy.vad_params.threshold, 0.5f);
        Expect("whisper_full_params.vad_params.min_speech_duration_ms", greedy.vad_params.min_speech_duration_ms, 250);
        Expect("whisper_full_params.vad_params.min_silence_duration_ms", greedy.vad_params.min_silence_duration_ms, 100);
        Expect("whisper_full_params.vad_params.max_speech_duration_s", greedy.vad_params.max_speech_duration_s, float.MaxValue);
        Expect("whisper_full_params.vad_params.speech_pad_ms", greedy.vad_params.speech_pad_ms, 30);
        Expect("whisper_full_params.vad_params.samples_overlap", greedy.vad_params.samples_overlap, 0.1f);

        Expect("whisper_context_params.use_gpu", context.use_gpu, (byte)1);
        Expect("whisper_context_params.flash_attn", context.flash_attn, (byte)1);
        Expect("whisper_context_params.gpu_device", context.gpu_device, 0);
        Expect("whisper_context_params.dtw_token_timestamps", context.dtw_token_timestamps, (byte)0);
        Expect("whisper_context_params.dtw_aheads_preset", context.dtw_aheads_preset, 0);
        Expect("whisper_context_params.dtw_n_top", context.dtw_n_top, -1);
        Expect("whisper_context_params.dtw_aheads.n_heads", context.dtw_aheads.n_heads, (nuint)0);
        Expect("whisper_context_params.dtw_mem_size", context.dtw_mem_size, (nuint)(1024 * 1024 * 128));

        // Dereference the language pointer only when everything else matched: with a drifted layout it is garbage.
        if (problems.Count == 0)
            Expect("whisper_full_params.language", greedy.language == 0 ? "(null)" : Marshal.PtrToStringUTF8(greedy.language) ?? "", "en");
        return problems;
    }

    /// <summary>Reads the native defaults and throws <see cref="WhisperAbiMismatchException"/> if they do not look like <see cref="Version"/>'s.</summary>
    public static unsafe void VerifyDefaults(IWhisperNative native, string actualVersion)
    {
        var fullPtr = native.whisper_full_default_params_by_ref(WhisperSamplingStrategy.Greedy);
        var contextPtr = native.whisper_context_default_params_by_ref();
        List<string> problems;
        try
        {
            if (fullPtr is null || contextPtr is null)
                problems = ["whisper_*_default_params_by_ref returned NULL"];
            else
                problems = CheckDefaults(*fullPtr, *contextPtr);
        }
        finally
        {
            if (fullPtr is not null) native.whisper_free_params(fullPtr);
            if (contextPtr is not null) native.whisper_free_context_params(contextPtr);
        }
        if (problems.Count > 0)
            throw new WhisperAbiMismatchException(Version, actualVersion,
                $"libwhisper reports version {actualVersion}, but its default parameters read through cast2md's structs " +
                $"do not match whisper.cpp {Version} (struct layout drift or a patched build): {string.Join("; ", problems)}. " +
                $"Rebuild the native library with `make setup` (native/build-whisper.sh).");
    }
}
