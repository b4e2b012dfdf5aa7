//! Key bindings: reedline's emacs or vi tables plus dbsh's own keys.
//!
//! - Alt-Enter inserts a newline (Enter runs a complete statement, or every line when
//!   multi-line mode is off).
//! - Ctrl-X Ctrl-E (both modes) and `v` in vi normal mode open the buffer in `$VISUAL` /
//!   `$EDITOR`. reedline has no key sequences and reads `v` as "enter visual mode" before
//!   any binding, so a thin wrapper around the edit mode intercepts these.
//! - F2 toggles the completion menu opening as you type (Tab always opens it), F3
//!   toggles multi-line mode, F4 switches between vi and emacs: they return to the
//!   REPL loop as host commands, which adjusts the editor and reads on with the same buffer.
//!
//! The wrapper cannot forward `SwitchMode` events (reedline does not export the type
//! their handler returns); the vi machine switches its own modes, and only visual mode,
//! which `v` no longer enters, uses them.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use reedline::{
    default_emacs_keybindings, default_vi_insert_keybindings, default_vi_normal_keybindings,
    default_vi_visual_keybindings, EditCommand, EditMode, Emacs, Keybindings, PromptEditMode,
    PromptViMode, ReedlineEvent, ReedlineRawEvent, Vi,
};

pub const TOGGLE_MULTI_LINE: &str = "dbsh:toggle-multi-line";
/// The name of the completion menu the REPL registers.
pub const COMPLETION_MENU: &str = "completion_menu";
pub const TOGGLE_VI: &str = "dbsh:toggle-vi";
pub const TOGGLE_AUTO_COMPLETION: &str = "dbsh:toggle-auto-completion";

fn add_dbsh_bindings(kb: &mut Keybindings) {
    kb.add_binding(
        KeyModifiers::NONE,
        KeyCode::Tab,
        ReedlineEvent::UntilFound(vec![
            ReedlineEvent::Menu(COMPLETION_MENU.into()),
            ReedlineEvent::MenuNext,
        ]),
    );
    kb.add_binding(
        KeyModifiers::SHIFT,
        KeyCode::BackTab,
        ReedlineEvent::MenuPrevious,
    );
    kb.add_binding(
        KeyModifiers::ALT,
        KeyCode::Enter,
        ReedlineEvent::Edit(vec![EditCommand::InsertNewline]),
    );
    kb.add_binding(
        KeyModifiers::NONE,
        KeyCode::F(3),
        ReedlineEvent::ExecuteHostCommand(TOGGLE_MULTI_LINE.into()),
    );
    kb.add_binding(
        KeyModifiers::NONE,
        KeyCode::F(4),
        ReedlineEvent::ExecuteHostCommand(TOGGLE_VI.into()),
    );
    kb.add_binding(
        KeyModifiers::NONE,
        KeyCode::F(2),
        ReedlineEvent::ExecuteHostCommand(TOGGLE_AUTO_COMPLETION.into()),
    );
}

/// The edit mode for emacs or vi keys, with dbsh's bindings; `auto_menu` opens the
/// completion menu as a name is typed.
pub fn edit_mode(vi: bool, auto_menu: bool) -> Box<dyn EditMode> {
    let inner: Box<dyn EditMode> = if vi {
        let mut insert = default_vi_insert_keybindings();
        let mut normal = default_vi_normal_keybindings();
        let mut visual = default_vi_visual_keybindings();
        add_dbsh_bindings(&mut insert);
        add_dbsh_bindings(&mut normal);
        add_dbsh_bindings(&mut visual);
        Box::new(Vi::new(insert, normal, visual))
    } else {
        let mut kb = default_emacs_keybindings();
        add_dbsh_bindings(&mut kb);
        Box::new(Emacs::new(kb))
    };
    Box::new(DbshKeys {
        inner,
        ctrl_x: false,
        vi_pending: false,
        auto_menu,
        passive_menu: false,
        word_wants_menu: None,
        in_string: false,
    })
}

/// Wraps an edit mode to add what its tables cannot express.
struct DbshKeys {
    inner: Box<dyn EditMode>,
    /// Ctrl-X was the last key: Ctrl-E now opens the editor.
    ctrl_x: bool,
    /// Vi normal mode is in the middle of a sequence (`d`, `f`, `3`…): `v` is its argument.
    vi_pending: bool,
    /// Open the completion menu while a name is typed.
    auto_menu: bool,
    /// The menu was opened by typing and the user has not moved in it: Enter then runs
    /// the statement instead of accepting the highlighted entry.
    passive_menu: bool,
    /// The word being typed started with a letter, `_`, `\\` or followed a `.`: worth a menu
    /// (a number is not).
    word_wants_menu: Option<bool>,
    /// Inside a string literal typed on this line: names are not completed there.
    in_string: bool,
}

impl EditMode for DbshKeys {
    fn parse_event(&mut self, raw: ReedlineRawEvent) -> ReedlineEvent {
        let event: Event = raw.into();
        let mode = self.inner.edit_mode();
        let normal = matches!(
            mode,
            PromptEditMode::Vi(PromptViMode::Normal) | PromptEditMode::Vi(PromptViMode::Visual)
        );
        if let Event::Key(KeyEvent {
            code, modifiers, ..
        }) = &event
        {
            let ctrl = *modifiers == KeyModifiers::CONTROL;
            if std::mem::take(&mut self.ctrl_x) && ctrl && *code == KeyCode::Char('e') {
                return ReedlineEvent::OpenEditor;
            }
            if ctrl && *code == KeyCode::Char('x') {
                self.ctrl_x = true;
                return ReedlineEvent::None;
            }
            if matches!(mode, PromptEditMode::Vi(PromptViMode::Normal))
                && !self.vi_pending
                && *modifiers == KeyModifiers::NONE
                && *code == KeyCode::Char('v')
            {
                return ReedlineEvent::OpenEditor;
            }
        }
        let plain_char = matches!(
            &event,
            Event::Key(KeyEvent { code: KeyCode::Char(_), modifiers, .. })
                if *modifiers == KeyModifiers::NONE || *modifiers == KeyModifiers::SHIFT
        );
        let typed_name_char = match &event {
            Event::Key(KeyEvent {
                code: KeyCode::Char(c),
                modifiers,
                ..
            }) if *modifiers == KeyModifiers::NONE || *modifiers == KeyModifiers::SHIFT => {
                c.is_alphanumeric() || matches!(c, '_' | '.' | '\\')
            }
            _ => false,
        };
        if let Event::Key(KeyEvent {
            code, modifiers, ..
        }) = &event
        {
            match code {
                KeyCode::Char('\'') => self.in_string = !self.in_string,
                KeyCode::Enter => self.in_string = false,
                _ => {}
            }
            match code {
                KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                    self.passive_menu = false;
                }
                KeyCode::Enter if *modifiers == KeyModifiers::NONE && self.passive_menu => {
                    self.passive_menu = false;
                    self.word_wants_menu = None;
                    return ReedlineEvent::Multiple(vec![ReedlineEvent::Esc, ReedlineEvent::Enter]);
                }
                _ => {}
            }
        }
        let closes_word = !typed_name_char;
        if typed_name_char {
            if let Event::Key(KeyEvent {
                code: KeyCode::Char(c),
                ..
            }) = &event
            {
                if *c == '.' {
                    self.word_wants_menu = Some(true);
                } else if self.word_wants_menu.is_none() {
                    self.word_wants_menu = Some(!c.is_ascii_digit());
                }
            }
        }
        let Ok(raw) = ReedlineRawEvent::try_from(event) else {
            return ReedlineEvent::None;
        };
        let result = self.inner.parse_event(raw);
        // Vi answers None while it waits for the rest of a sequence.
        self.vi_pending = normal && plain_char && result == ReedlineEvent::None;
        let inserted = matches!(&result, ReedlineEvent::Edit(cmds) if matches!(cmds.as_slice(), [EditCommand::InsertChar(_)]));
        if closes_word {
            self.word_wants_menu = None;
            if self.passive_menu && inserted {
                // A character that ends the word closes the menu the typing opened, so
                // that the next Enter runs the statement.
                self.passive_menu = false;
                return ReedlineEvent::Multiple(vec![ReedlineEvent::Esc, result]);
            }
            self.passive_menu = false;
        }
        if self.auto_menu
            && typed_name_char
            && inserted
            && !self.in_string
            && self.word_wants_menu == Some(true)
        {
            self.passive_menu = true;
            return ReedlineEvent::Multiple(vec![
                result,
                ReedlineEvent::Menu(COMPLETION_MENU.into()),
            ]);
        }
        result
    }

    fn edit_mode(&self) -> PromptEditMode {
        self.inner.edit_mode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(mode: &mut Box<dyn EditMode>, code: KeyCode, modifiers: KeyModifiers) -> ReedlineEvent {
        let raw = ReedlineRawEvent::try_from(Event::Key(KeyEvent::new(code, modifiers)))
            .unwrap_or_else(|()| panic!("raw event"));
        mode.parse_event(raw)
    }

    #[test]
    fn ctrl_x_ctrl_e_opens_the_editor_in_both_modes() {
        for vi in [false, true] {
            let mut m = edit_mode(vi, false);
            assert_eq!(
                key(&mut m, KeyCode::Char('x'), KeyModifiers::CONTROL),
                ReedlineEvent::None
            );
            assert_eq!(
                key(&mut m, KeyCode::Char('e'), KeyModifiers::CONTROL),
                ReedlineEvent::OpenEditor
            );
        }
    }

    #[test]
    fn v_in_vi_normal_mode_opens_the_editor_but_not_as_an_argument() {
        let mut m = edit_mode(true, false);
        // Insert mode: `v` is typed.
        assert_ne!(
            key(&mut m, KeyCode::Char('v'), KeyModifiers::NONE),
            ReedlineEvent::OpenEditor
        );
        key(&mut m, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(m.edit_mode(), PromptEditMode::Vi(PromptViMode::Normal));
        assert_eq!(
            key(&mut m, KeyCode::Char('v'), KeyModifiers::NONE),
            ReedlineEvent::OpenEditor
        );
        // `fv` finds a `v`.
        assert_eq!(
            key(&mut m, KeyCode::Char('f'), KeyModifiers::NONE),
            ReedlineEvent::None
        );
        assert_ne!(
            key(&mut m, KeyCode::Char('v'), KeyModifiers::NONE),
            ReedlineEvent::OpenEditor
        );
    }

    #[test]
    fn function_keys_are_host_commands() {
        let mut m = edit_mode(false, false);
        assert_eq!(
            key(&mut m, KeyCode::F(3), KeyModifiers::NONE),
            ReedlineEvent::ExecuteHostCommand(TOGGLE_MULTI_LINE.into())
        );
        assert_eq!(
            key(&mut m, KeyCode::F(4), KeyModifiers::NONE),
            ReedlineEvent::ExecuteHostCommand(TOGGLE_VI.into())
        );
        assert_eq!(
            key(&mut m, KeyCode::F(2), KeyModifiers::NONE),
            ReedlineEvent::ExecuteHostCommand(TOGGLE_AUTO_COMPLETION.into())
        );
    }

    fn opens_menu(e: &ReedlineEvent) -> bool {
        matches!(e, ReedlineEvent::Multiple(v) if v.contains(&ReedlineEvent::Menu(COMPLETION_MENU.into())))
    }

    #[test]
    fn typing_a_name_opens_the_menu_and_enter_still_runs() {
        let mut m = edit_mode(false, true);
        assert!(opens_menu(&key(
            &mut m,
            KeyCode::Char('u'),
            KeyModifiers::NONE
        )));
        // Enter while the user has not moved in the menu: close it, then Enter.
        assert_eq!(
            key(&mut m, KeyCode::Enter, KeyModifiers::NONE),
            ReedlineEvent::Multiple(vec![ReedlineEvent::Esc, ReedlineEvent::Enter])
        );
        // After Tab the user is choosing: Enter accepts (reedline's own Enter).
        key(&mut m, KeyCode::Char('u'), KeyModifiers::NONE);
        key(&mut m, KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(
            key(&mut m, KeyCode::Enter, KeyModifiers::NONE),
            ReedlineEvent::Enter
        );
    }

    #[test]
    fn no_menu_for_numbers_strings_or_when_off() {
        let mut m = edit_mode(false, true);
        assert!(!opens_menu(&key(
            &mut m,
            KeyCode::Char('4'),
            KeyModifiers::NONE
        )));
        key(&mut m, KeyCode::Char(' '), KeyModifiers::NONE);
        key(&mut m, KeyCode::Char('\''), KeyModifiers::NONE);
        assert!(!opens_menu(&key(
            &mut m,
            KeyCode::Char('a'),
            KeyModifiers::NONE
        )));
        let mut off = edit_mode(false, false);
        assert!(!opens_menu(&key(
            &mut off,
            KeyCode::Char('a'),
            KeyModifiers::NONE
        )));
    }
}
