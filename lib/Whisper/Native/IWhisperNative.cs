namespace Cast2md.Whisper.Native;

/// <summary>
/// The native entry points the binding uses, behind an interface so tests can fake whisper.cpp for error paths
/// (a model that does not load, whisper_full failing, a callback that throws), as Whisper.net's FakeNativeWhisper.
/// Members mirror <see cref="WhisperNative"/> one to one, C names kept.
/// </summary>
internal unsafe interface IWhisperNative
{
    byte* whisper_version();
    byte* whisper_print_system_info();
    void whisper_log_set(nint log_callback, nint user_data);

    WhisperContextParams* whisper_context_default_params_by_ref();
    void whisper_free_context_params(WhisperContextParams* @params);
    WhisperFullParams* whisper_full_default_params_by_ref(WhisperSamplingStrategy strategy);
    void whisper_free_params(WhisperFullParams* @params);

    nint whisper_init_from_file_with_params_no_state(byte* path_model, WhisperContextParams @params);
    nint whisper_init_state(nint ctx);
    void whisper_free(nint ctx);
    void whisper_free_state(nint state);
    int whisper_is_multilingual(nint ctx);

    int whisper_pcm_to_mel_with_state(nint ctx, nint state, float* samples, int n_samples, int n_threads);
    int whisper_lang_max_id();
    int whisper_lang_id(byte* lang);
    byte* whisper_lang_str(int id);
    int whisper_lang_auto_detect_with_state(nint ctx, nint state, int offset_ms, int n_threads, float* lang_probs);

    int whisper_full_with_state(nint ctx, nint state, WhisperFullParams @params, float* samples, int n_samples);
    int whisper_full_n_segments_from_state(nint state);
    long whisper_full_get_segment_t0_from_state(nint state, int i_segment);
    long whisper_full_get_segment_t1_from_state(nint state, int i_segment);
    byte* whisper_full_get_segment_text_from_state(nint state, int i_segment);
}

/// <summary>The real thing: forwards to the <c>[LibraryImport]</c>s. Only handed out by <see cref="WhisperLibrary"/> once loaded.</summary>
internal sealed unsafe class LibWhisperNative : IWhisperNative
{
    public static LibWhisperNative Instance { get; } = new();

    private LibWhisperNative() { }

    public byte* whisper_version() => WhisperNative.whisper_version();
    public byte* whisper_print_system_info() => WhisperNative.whisper_print_system_info();
    public void whisper_log_set(nint log_callback, nint user_data) => WhisperNative.whisper_log_set(log_callback, user_data);

    public WhisperContextParams* whisper_context_default_params_by_ref() => WhisperNative.whisper_context_default_params_by_ref();
    public void whisper_free_context_params(WhisperContextParams* @params) => WhisperNative.whisper_free_context_params(@params);
    public WhisperFullParams* whisper_full_default_params_by_ref(WhisperSamplingStrategy strategy) => WhisperNative.whisper_full_default_params_by_ref(strategy);
    public void whisper_free_params(WhisperFullParams* @params) => WhisperNative.whisper_free_params(@params);

    public nint whisper_init_from_file_with_params_no_state(byte* path_model, WhisperContextParams @params) =>
        WhisperNative.whisper_init_from_file_with_params_no_state(path_model, @params);
    public nint whisper_init_state(nint ctx) => WhisperNative.whisper_init_state(ctx);
    public void whisper_free(nint ctx) => WhisperNative.whisper_free(ctx);
    public void whisper_free_state(nint state) => WhisperNative.whisper_free_state(state);
    public int whisper_is_multilingual(nint ctx) => WhisperNative.whisper_is_multilingual(ctx);

    public int whisper_pcm_to_mel_with_state(nint ctx, nint state, float* samples, int n_samples, int n_threads) =>
        WhisperNative.whisper_pcm_to_mel_with_state(ctx, state, samples, n_samples, n_threads);
    public int whisper_lang_max_id() => WhisperNative.whisper_lang_max_id();
    public int whisper_lang_id(byte* lang) => WhisperNative.whisper_lang_id(lang);
    public byte* whisper_lang_str(int id) => WhisperNative.whisper_lang_str(id);
    public int whisper_lang_auto_detect_with_state(nint ctx, nint state, int offset_ms, int n_threads, float* lang_probs) =>
        WhisperNative.whisper_lang_auto_detect_with_state(ctx, state, offset_ms, n_threads, lang_probs);

    public int whisper_full_with_state(nint ctx, nint state, WhisperFullParams @params, float* samples, int n_samples) =>
        WhisperNative.whisper_full_with_state(ctx, state, @params, samples, n_samples);
    public int whisper_full_n_segments_from_state(nint state) => WhisperNative.whisper_full_n_segments_from_state(state);
    public long whisper_full_get_segment_t0_from_state(nint state, int i_segment) => WhisperNative.whisper_full_get_segment_t0_from_state(state, i_segment);
    public long whisper_full_get_segment_t1_from_state(nint state, int i_segment) => WhisperNative.whisper_full_get_segment_t1_from_state(state, i_segment);
    public byte* whisper_full_get_segment_text_from_state(nint state, int i_segment) => WhisperNative.whisper_full_get_segment_text_from_state(state, i_segment);
}
