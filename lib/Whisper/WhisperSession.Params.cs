using System.Runtime.InteropServices;
using Cast2md.Whisper.Native;

namespace Cast2md.Whisper;

public sealed partial class WhisperSession
{
    /// <summary>
    /// whisper_full_params as whisper-cli 1.9.1 (examples/cli/cli.cpp) sets them with its default flags, so a
    /// benchmark against whisper-cli compares like with like: GREEDY native defaults (greedy.best_of 5,
    /// temperature 0, temperature_inc 0.2, entropy_thold 2.4, logprob_thold -1, no_speech_thold 0.6,
    /// n_max_text_ctx 16384, no_context true), strategy BEAM_SEARCH when the beam is wider than 1 with
    /// beam_search.beam_size = the beam, no printing, and our callbacks.
    /// </summary>
    private unsafe WhisperFullParams BuildParams(WhisperRunOptions options, nint languageUtf8, nint promptUtf8, nint userData)
    {
        // whisper-cli starts from the GREEDY defaults whatever the strategy, then switches the strategy.
        var defaults = _native.whisper_full_default_params_by_ref(WhisperSamplingStrategy.Greedy);
        if (defaults is null)
            throw new WhisperException("whisper_full_default_params_by_ref returned NULL (out of memory?).");
        var p = *defaults;
        _native.whisper_free_params(defaults);

        p.strategy = options.BeamSize > 1 ? WhisperSamplingStrategy.BeamSearch : WhisperSamplingStrategy.Greedy;
        p.beam_search.beam_size = options.BeamSize; // whisper-cli: wparams.beam_search.beam_size = params.beam_size (5)
        // p.greedy.best_of stays the native GREEDY default (5), as whisper-cli's params.best_of.
        p.n_threads = options.Threads;
        p.translate = options.Translate ? (byte)1 : (byte)0;

        // Native defaults print progress and timestamps to stderr; we report through callbacks instead.
        p.print_special = 0;
        p.print_progress = 0;
        p.print_realtime = 0;
        p.print_timestamps = 0;

        // The language is always resolved by now (detected by us or given): whisper_full must not detect again.
        p.language = languageUtf8;
        p.detect_language = 0;
        p.initial_prompt = promptUtf8;

        p.progress_callback = Callbacks.Progress;
        p.progress_callback_user_data = userData;
        p.encoder_begin_callback = Callbacks.EncoderBegin;
        p.encoder_begin_callback_user_data = userData;
        p.abort_callback = Callbacks.Abort;
        p.abort_callback_user_data = userData;
        return p;
    }

    /// <summary>
    /// The language to decode with, and its probability when we detected it. English-only models always decode
    /// English. "auto" (or empty) on a multilingual model runs whisper's detector once on the first 30 s.
    /// </summary>
    private unsafe (string Language, float? Probability) ResolveLanguage(nint ctx, nint state, ReadOnlySpan<float> samples, WhisperRunOptions options)
    {
        if (!_model.IsMultilingual)
            return ("en", null);

        var requested = options.Language?.Trim().ToLowerInvariant() ?? "";
        if (requested is not ("" or "auto"))
            return (NormalizeLanguage(requested), null);

        // Nothing to detect on: the caller gets no segments and an empty language.
        if (samples.Length < MinSamples)
            return ("", null);

        var window = samples[..Math.Min(samples.Length, DetectionSamples)];
        int rc;
        fixed (float* pcm = window)
            rc = _native.whisper_pcm_to_mel_with_state(ctx, state, pcm, window.Length, options.Threads);
        if (rc != 0)
            throw new WhisperException($"whisper_pcm_to_mel_with_state failed with code {rc}.", rc);

        var probabilities = new float[_native.whisper_lang_max_id() + 1];
        int id;
        fixed (float* probs = probabilities)
            id = _native.whisper_lang_auto_detect_with_state(ctx, state, 0, options.Threads, probs);
        if (id < 0 || id >= probabilities.Length)
            throw new WhisperException($"whisper_lang_auto_detect_with_state failed with code {id}.", id);

        var language = Marshal.PtrToStringUTF8((nint)_native.whisper_lang_str(id)) ?? "";
        return (language, probabilities[id]);
    }

    /// <summary>Checks the language with whisper (which also accepts full names such as "german") and returns its code.</summary>
    private unsafe string NormalizeLanguage(string language)
    {
        var utf8 = Marshal.StringToCoTaskMemUTF8(language);
        try
        {
            var id = _native.whisper_lang_id((byte*)utf8);
            if (id < 0)
                throw new WhisperException($"Unknown language '{language}': use \"auto\" or a code whisper knows, such as \"en\" or \"de\".");
            return Marshal.PtrToStringUTF8((nint)_native.whisper_lang_str(id)) ?? language;
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }
}
