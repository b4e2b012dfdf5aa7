//! Key bindings: reedline's emacs or vi tables plus dbsh's own keys.
//!
//! - Alt-Enter inserts a newline (Enter runs a complete statement, or every line when
//!   multi-line mode is off).
//! - Ctrl-X Ctrl-E (both modes) and `v` in vi normal mode open the buffer in `$VISUAL` /
//!   `$EDITOR`, as a host command the REPL loop runs; `V` enters visual mode instead. reedline has no key sequences and
//!   reads `v` as "enter visual mode" before any binding, so a thin wrapper around the
//!   edit mode intercepts these.
//! - Around the completion menu: Tab opens it and enters it (the line previews the
//!   highlighted entry), Shift-Tab walks back, Up/Down walk it once entered; otherwise
//!   Enter, the arrows, Home and End act on the line and history as if no menu were open.
//! - Ctrl-R (emacs, vi insert) and `/` `?` (vi normal) search history (Ctrl-R in vi
//!   normal mode redoes, as in vim: `u` takes back a whole insert, see vendor/reedline); the typed term
//!   goes to the search, never to a menu, and is kept for vi's `n` / `N` (host commands:
//!   the REPL loop steps through the history).
//! - F2 toggles the completion menu opening as you type (Tab always opens it), F3
//!   toggles multi-line mode, F4 switches between vi and emacs: they return to the
//!   REPL loop as host commands, which adjusts the editor and reads on with the same buffer.
//!
//! The wrapper cannot forward `SwitchMode` events (reedline does not export the type
//! their handler returns); the vi machine switches its own modes, and only visual mode,
//! which `V` enters (by handing the machine its own `v`), uses them.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use reedline::{
    default_emacs_keybindings, default_vi_insert_keybindings, default_vi_normal_keybindings,
    default_vi_visual_keybindings, EditCommand, EditMode, Emacs, Keybindings, PromptEditMode,
    PromptViMode, ReedlineEvent, ReedlineRawEvent, Vi,
};

use super::menu::MenuState;

pub const TOGGLE_MULTI_LINE: &str = "dbsh:toggle-multi-line";
/// The name of the completion menu the REPL registers.
pub const COMPLETION_MENU: &str = "completion_menu";
pub const TOGGLE_VI: &str = "dbsh:toggle-vi";
pub const TOGGLE_AUTO_COMPLETION: &str = "dbsh:toggle-auto-completion";
/// Edit the input buffer in the external editor (the REPL loop runs it, so that a
/// cancelled or missing editor leaves the buffer and says why).
pub const OPEN_EDITOR: &str = "dbsh:open-editor";
/// vi `n` / `N`: the next older / newer history entry holding the last search term.
pub const SEARCH_OLDER: &str = "dbsh:search-older";
pub const SEARCH_NEWER: &str = "dbsh:search-newer";

fn open_editor() -> ReedlineEvent {
    ReedlineEvent::ExecuteHostCommand(OPEN_EDITOR.into())
}

fn add_dbsh_bindings(kb: &mut Keybindings) {
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
/// completion menu as a name is typed; `menu` is the completion menu's shared state.
pub fn edit_mode(vi: bool, auto_menu: bool, menu: Arc<MenuState>) -> Box<dyn EditMode> {
    let inner: Box<dyn EditMode> = if vi {
        let mut insert = default_vi_insert_keybindings();
        let mut normal = default_vi_normal_keybindings();
        let mut visual = default_vi_visual_keybindings();
        add_dbsh_bindings(&mut insert);
        add_dbsh_bindings(&mut normal);
        add_dbsh_bindings(&mut visual);
        // vim's redo; reedline's vi tables have none (search stays on `/` and `?`).
        normal.add_binding(
            KeyModifiers::CONTROL,
            KeyCode::Char('r'),
            ReedlineEvent::Edit(vec![EditCommand::Redo]),
        );
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
        word_wants_menu: None,
        searching: false,
        tabbed: false,
        menu,
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
    /// The word being typed started with a letter, `_`, `\\` or followed a `.`: worth a menu
    /// (a number is not).
    word_wants_menu: Option<bool>,
    /// Reverse history search (Ctrl-R, vi `/` `?`) is on: keys go to it untouched, as
    /// reedline drops the combined events used to open menus there.
    searching: bool,
    /// The last key was Tab or Shift-Tab (or an arrow after them): the user is in the
    /// menu, and Enter takes the entry.
    tabbed: bool,
    /// The completion menu: open?
    menu: Arc<MenuState>,
}

impl DbshKeys {
    fn inner_event(&mut self, event: Event) -> ReedlineEvent {
        match ReedlineRawEvent::try_from(event) {
            Ok(raw) => self.inner.parse_event(raw),
            Err(()) => ReedlineEvent::None,
        }
    }

    /// Keys that mean something else around the completion menu; None: not one.
    ///
    /// reedline parses a whole burst of keys (fast typing, a paste without bracketed
    /// paste) before it handles any, so the menu's state read here may be behind: the
    /// events below do the right thing whether or not a menu is open by then.
    fn menu_key(
        &mut self,
        code: KeyCode,
        modifiers: KeyModifiers,
        event: &Event,
        visual: bool,
    ) -> Option<ReedlineEvent> {
        let none = modifiers == KeyModifiers::NONE;
        let tabbed = std::mem::take(&mut self.tabbed);
        // Leave any menu (keeping a previewed entry), then do what the key does.
        let close_then = |me: &mut Self| {
            let e = me.inner_event(event.clone());
            ReedlineEvent::Multiple(vec![ReedlineEvent::Esc, e])
        };
        Some(match code {
            KeyCode::Tab | KeyCode::BackTab if none || code == KeyCode::BackTab => {
                self.tabbed = true;
                self.menu
                    .backwards
                    .store(code == KeyCode::BackTab, Ordering::SeqCst);
                if self.menu.entered() {
                    ReedlineEvent::MenuNext
                } else {
                    // Open afresh (with the first entry previewed). A menu that typing
                    // opened is closed first: its entries are only brought up to date
                    // when the screen is drawn, which keys arriving in one burst (a
                    // paste, a terminal multiplexer) never let happen.
                    ReedlineEvent::Multiple(vec![
                        ReedlineEvent::Esc,
                        ReedlineEvent::Menu(COMPLETION_MENU.into()),
                        ReedlineEvent::MenuNext,
                    ])
                }
            }
            KeyCode::Up | KeyCode::Down if none && tabbed => {
                self.tabbed = true;
                self.menu
                    .backwards
                    .store(code == KeyCode::Up, Ordering::SeqCst);
                let e = self.inner_event(event.clone());
                ReedlineEvent::UntilFound(vec![ReedlineEvent::MenuNext, e])
            }
            // Not entered: these keys act on the line (and history) as if no menu were
            // open; Enter runs a complete statement.
            KeyCode::Up
            | KeyCode::Down
            | KeyCode::Enter
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End
                if none && !visual && !(tabbed && code == KeyCode::Enter) =>
            {
                close_then(self)
            }
            _ => return None,
        })
    }
}

impl EditMode for DbshKeys {
    fn parse_event(&mut self, raw: ReedlineRawEvent) -> ReedlineEvent {
        let mut event: Event = raw.into();
        // Ctrl-J (a newline byte) is Enter, as in readline.
        if let Event::Key(k) = &event {
            if k.code == KeyCode::Char('j') && k.modifiers == KeyModifiers::CONTROL {
                event = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
            }
        }
        let mode = self.inner.edit_mode();
        let normal = matches!(
            mode,
            PromptEditMode::Vi(PromptViMode::Normal) | PromptEditMode::Vi(PromptViMode::Visual)
        );
        let key = match &event {
            Event::Key(KeyEvent {
                code, modifiers, ..
            }) => Some((*code, *modifiers)),
            _ => None,
        };
        if self.searching {
            if let Some((code, modifiers)) = key {
                let ctrl = modifiers == KeyModifiers::CONTROL;
                if matches!(code, KeyCode::Enter | KeyCode::Esc)
                    || (ctrl && matches!(code, KeyCode::Char('c' | 'd' | 'g')))
                {
                    self.searching = false;
                }
                if ctrl && code == KeyCode::Char('g') {
                    return ReedlineEvent::Esc;
                }
                // The search term is typed, even from vi normal mode (`/`), where the
                // letters would otherwise be commands.
                let plain = modifiers == KeyModifiers::NONE || modifiers == KeyModifiers::SHIFT;
                match code {
                    KeyCode::Char(c) if plain => {
                        self.term(|t| t.push(c));
                        return ReedlineEvent::Edit(vec![EditCommand::InsertChar(c)]);
                    }
                    KeyCode::Backspace => {
                        self.term(|t| {
                            t.pop();
                        });
                        return ReedlineEvent::Edit(vec![EditCommand::Backspace]);
                    }
                    KeyCode::Enter => return ReedlineEvent::Enter,
                    _ => {}
                }
            }
            return self.inner_event(event);
        }
        if let Some((code, modifiers)) = key {
            let ctrl = modifiers == KeyModifiers::CONTROL;
            if std::mem::take(&mut self.ctrl_x) && ctrl && code == KeyCode::Char('e') {
                return open_editor();
            }
            if ctrl && code == KeyCode::Char('x') {
                self.ctrl_x = true;
                return ReedlineEvent::None;
            }
            if matches!(mode, PromptEditMode::Vi(PromptViMode::Normal))
                && !self.vi_pending
                && modifiers == KeyModifiers::NONE
            {
                match code {
                    KeyCode::Char('v') => return open_editor(),
                    KeyCode::Char('/') => {
                        self.searching = true;
                        self.term(String::clear);
                        return ReedlineEvent::SearchHistory;
                    }
                    _ => {}
                }
            }
            let normal_plain = matches!(mode, PromptEditMode::Vi(PromptViMode::Normal))
                && !self.vi_pending
                && matches!(modifiers, KeyModifiers::NONE | KeyModifiers::SHIFT);
            if let KeyCode::Char(c @ ('n' | 'N')) = code {
                if normal_plain && self.has_term() {
                    let which = if c == 'n' { SEARCH_OLDER } else { SEARCH_NEWER };
                    return ReedlineEvent::ExecuteHostCommand(which.into());
                }
            }
            // `v` opens the editor, so visual mode is on `V` (the vi machine's own `v`).
            if normal_plain && code == KeyCode::Char('V') {
                let v = KeyEvent::new(KeyCode::Char('v'), KeyModifiers::NONE);
                return self.inner_event(Event::Key(v));
            }
            let visual = matches!(mode, PromptEditMode::Vi(PromptViMode::Visual));
            if let Some(e) = self.menu_key(code, modifiers, &event, visual) {
                self.word_wants_menu = None;
                return e;
            }
        }
        let typed = match &event {
            Event::Key(KeyEvent {
                code: KeyCode::Char(c),
                modifiers,
                ..
            }) if *modifiers == KeyModifiers::NONE || *modifiers == KeyModifiers::SHIFT => Some(*c),
            _ => None,
        };
        let typed_name_char =
            typed.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '\\'));
        if let Some(c) = typed.filter(|_| typed_name_char) {
            if c == '.' {
                self.word_wants_menu = Some(true);
            } else if self.word_wants_menu.is_none() {
                self.word_wants_menu = Some(!c.is_ascii_digit());
            }
        } else {
            self.word_wants_menu = None;
        }
        let result = self.inner_event(event);
        if result == ReedlineEvent::SearchHistory
            || matches!(&result, ReedlineEvent::Multiple(v) if v.contains(&ReedlineEvent::SearchHistory))
        {
            self.searching = true;
            self.term(String::clear);
        }
        // Vi answers None while it waits for the rest of a sequence.
        self.vi_pending = normal && typed.is_some() && result == ReedlineEvent::None;
        let inserted = matches!(&result, ReedlineEvent::Edit(cmds) if matches!(cmds.as_slice(), [EditCommand::InsertChar(_)]));
        // Inside a string nothing completes: the engine reads that from the line and
        // the menu stays quiet, so no keystroke bookkeeping of quotes here.
        if self.auto_menu && typed_name_char && inserted && self.word_wants_menu == Some(true) {
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

impl DbshKeys {
    /// Change the remembered search term.
    fn term(&self, f: impl FnOnce(&mut String)) {
        if let Ok(mut t) = self.menu.search_term.lock() {
            f(&mut t);
        }
    }

    fn has_term(&self) -> bool {
        self.menu.search_term.lock().is_ok_and(|t| !t.is_empty())
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
            let mut m = edit_mode(vi, false, state());
            assert_eq!(
                key(&mut m, KeyCode::Char('x'), KeyModifiers::CONTROL),
                ReedlineEvent::None
            );
            assert_eq!(
                key(&mut m, KeyCode::Char('e'), KeyModifiers::CONTROL),
                open_editor()
            );
        }
    }

    #[test]
    fn v_in_vi_normal_mode_opens_the_editor_but_not_as_an_argument() {
        let mut m = edit_mode(true, false, state());
        // Insert mode: `v` is typed.
        assert_ne!(
            key(&mut m, KeyCode::Char('v'), KeyModifiers::NONE),
            open_editor()
        );
        key(&mut m, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(m.edit_mode(), PromptEditMode::Vi(PromptViMode::Normal));
        assert_eq!(
            key(&mut m, KeyCode::Char('v'), KeyModifiers::NONE),
            open_editor()
        );
        // `fv` finds a `v`.
        assert_eq!(
            key(&mut m, KeyCode::Char('f'), KeyModifiers::NONE),
            ReedlineEvent::None
        );
        assert_ne!(
            key(&mut m, KeyCode::Char('v'), KeyModifiers::NONE),
            open_editor()
        );
    }

    #[test]
    fn n_and_capital_n_repeat_the_last_search_in_vi_normal_mode() {
        let menu = state();
        let mut m = edit_mode(true, false, menu.clone());
        key(&mut m, KeyCode::Esc, KeyModifiers::NONE);
        // No search yet: `n` is the vi machine's.
        assert_ne!(
            key(&mut m, KeyCode::Char('n'), KeyModifiers::NONE),
            ReedlineEvent::ExecuteHostCommand(SEARCH_OLDER.into())
        );
        key(&mut m, KeyCode::Esc, KeyModifiers::NONE);
        key(&mut m, KeyCode::Char('/'), KeyModifiers::NONE);
        key(&mut m, KeyCode::Char('a'), KeyModifiers::NONE);
        key(&mut m, KeyCode::Char('b'), KeyModifiers::NONE);
        key(&mut m, KeyCode::Backspace, KeyModifiers::NONE);
        key(&mut m, KeyCode::Char('x'), KeyModifiers::NONE);
        key(&mut m, KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(*menu.search_term.lock().unwrap(), "ax");
        key(&mut m, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(
            key(&mut m, KeyCode::Char('n'), KeyModifiers::NONE),
            ReedlineEvent::ExecuteHostCommand(SEARCH_OLDER.into())
        );
        assert_eq!(
            key(&mut m, KeyCode::Char('N'), KeyModifiers::SHIFT),
            ReedlineEvent::ExecuteHostCommand(SEARCH_NEWER.into())
        );
    }

    #[test]
    fn ctrl_j_is_enter_as_in_readline() {
        for vi in [false, true] {
            let mut m = edit_mode(vi, false, state());
            assert_eq!(
                key(&mut m, KeyCode::Char('j'), KeyModifiers::CONTROL),
                key(&mut m, KeyCode::Enter, KeyModifiers::NONE)
            );
        }
    }

    #[test]
    fn capital_v_in_vi_normal_mode_enters_visual_mode() {
        let mut m = edit_mode(true, false, state());
        key(&mut m, KeyCode::Char('a'), KeyModifiers::NONE);
        key(&mut m, KeyCode::Esc, KeyModifiers::NONE);
        key(&mut m, KeyCode::Char('V'), KeyModifiers::SHIFT);
        assert_eq!(m.edit_mode(), PromptEditMode::Vi(PromptViMode::Visual));
    }

    #[test]
    fn function_keys_are_host_commands() {
        let mut m = edit_mode(false, false, state());
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

    fn state() -> Arc<MenuState> {
        Arc::new(MenuState::default())
    }

    fn opens_menu(e: &ReedlineEvent) -> bool {
        matches!(e, ReedlineEvent::Multiple(v) if v.contains(&ReedlineEvent::Menu(COMPLETION_MENU.into())))
    }

    #[test]
    fn enter_runs_unless_the_user_entered_the_menu() {
        let st = state();
        let mut m = edit_mode(false, true, st.clone());
        assert!(opens_menu(&key(
            &mut m,
            KeyCode::Char('u'),
            KeyModifiers::NONE
        )));
        // Not entered (menu opened by typing or Backspace, or none): close, then Enter.
        let run = ReedlineEvent::Multiple(vec![ReedlineEvent::Esc, ReedlineEvent::Enter]);
        assert_eq!(key(&mut m, KeyCode::Enter, KeyModifiers::NONE), run);
        st.active.store(true, Ordering::SeqCst);
        assert_eq!(key(&mut m, KeyCode::Enter, KeyModifiers::NONE), run);
        // Tab on a menu typing opened: opened afresh (its entries may be stale) and
        // entered; then reedline's own Enter takes the highlighted entry.
        assert_eq!(key(&mut m, KeyCode::Tab, KeyModifiers::NONE), reopen());
        st.entered.store(true, Ordering::SeqCst);
        assert_eq!(
            key(&mut m, KeyCode::Enter, KeyModifiers::NONE),
            ReedlineEvent::Enter
        );
        // Once entered, Tab walks it.
        assert_eq!(
            key(&mut m, KeyCode::Tab, KeyModifiers::NONE),
            ReedlineEvent::MenuNext
        );
    }

    fn reopen() -> ReedlineEvent {
        ReedlineEvent::Multiple(vec![
            ReedlineEvent::Esc,
            ReedlineEvent::Menu(COMPLETION_MENU.into()),
            ReedlineEvent::MenuNext,
        ])
    }

    #[test]
    fn tab_opens_and_enters_the_menu_then_arrows_walk_it() {
        let st = state();
        let mut m = edit_mode(false, true, st.clone());
        let up = ReedlineEvent::UntilFound(vec![ReedlineEvent::MenuUp, ReedlineEvent::Up]);
        // Up before entering walks history.
        assert_eq!(
            key(&mut m, KeyCode::Up, KeyModifiers::NONE),
            ReedlineEvent::Multiple(vec![ReedlineEvent::Esc, up.clone()])
        );
        assert_eq!(key(&mut m, KeyCode::Tab, KeyModifiers::NONE), reopen());
        // After Tab, the menu (backwards for Up), or history when no menu is left.
        assert_eq!(
            key(&mut m, KeyCode::Up, KeyModifiers::NONE),
            ReedlineEvent::UntilFound(vec![ReedlineEvent::MenuNext, up])
        );
        assert!(st.backwards.load(Ordering::SeqCst));
        // Left closes the menu and moves.
        assert!(matches!(
            key(&mut m, KeyCode::Left, KeyModifiers::NONE),
            ReedlineEvent::Multiple(v) if v[0] == ReedlineEvent::Esc
        ));
    }

    #[test]
    fn reverse_search_gets_the_typed_text() {
        for vi in [false, true] {
            let mut m = edit_mode(vi, true, state());
            if vi {
                key(&mut m, KeyCode::Char('i'), KeyModifiers::NONE);
            }
            key(&mut m, KeyCode::Char('r'), KeyModifiers::CONTROL);
            // A plain insert, no menu: reedline's search reads it.
            assert_eq!(
                key(&mut m, KeyCode::Char('s'), KeyModifiers::NONE),
                ReedlineEvent::Edit(vec![EditCommand::InsertChar('s')])
            );
            key(&mut m, KeyCode::Enter, KeyModifiers::NONE);
            assert!(opens_menu(&key(
                &mut m,
                KeyCode::Char('s'),
                KeyModifiers::NONE
            )));
        }
    }

    #[test]
    fn no_menu_for_numbers_or_when_off() {
        let mut m = edit_mode(false, true, state());
        assert!(!opens_menu(&key(
            &mut m,
            KeyCode::Char('4'),
            KeyModifiers::NONE
        )));
        let mut off = edit_mode(false, false, state());
        assert!(!opens_menu(&key(
            &mut off,
            KeyCode::Char('a'),
            KeyModifiers::NONE
        )));
    }
}
