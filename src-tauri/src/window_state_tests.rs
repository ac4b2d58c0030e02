use super::*;

fn monitor(x: i32, y: i32, width: u32, height: u32) -> Screen {
    Screen {
        x,
        y,
        width,
        height,
        scale: 1.0,
    }
}

fn geometry(x: i32, y: i32, width: u32, height: u32) -> Geometry {
    Geometry {
        x,
        y,
        width,
        height,
        maximized: false,
    }
}

#[test]
fn the_first_window_is_most_of_a_large_screen_and_centred() {
    let big = monitor(0, 0, 2560, 1440);
    let g = place(None, &[big], Some(big)).expect("placed");
    assert_eq!((g.width, g.height), (1600, 1000), "80% capped");
    assert_eq!((g.x, g.y), (480, 220));

    let hd = monitor(0, 0, 1920, 1080);
    let g = place(None, &[hd], Some(hd)).expect("placed");
    assert_eq!((g.width, g.height), (1536, 864), "80% of a full-HD screen");
    assert!(g.width > 1100 && g.height > 720);

    let small = monitor(0, 0, 1280, 800);
    let g = place(None, &[small], Some(small)).expect("placed");
    assert_eq!(
        (g.width, g.height),
        (1100, 720),
        "never under the old default"
    );

    let tiny = monitor(0, 0, 1024, 600);
    let g = place(None, &[tiny], Some(tiny)).expect("placed");
    assert_eq!(
        (g.width, g.height, g.x, g.y),
        (1024, 600, 0, 0),
        "never past the screen"
    );
}

#[test]
fn a_hidpi_screen_scales_the_bounds() {
    let retina = Screen {
        scale: 2.0,
        ..monitor(0, 0, 5120, 2880)
    };
    let g = place(None, &[retina], Some(retina)).expect("placed");
    assert_eq!((g.width, g.height), (3200, 2000));
}

#[test]
fn a_remembered_window_comes_back_where_it_was() {
    let left = monitor(0, 0, 1920, 1080);
    let right = monitor(1920, 0, 2560, 1440);
    let saved = Geometry {
        maximized: true,
        ..geometry(2100, 100, 1400, 900)
    };
    assert_eq!(place(Some(saved), &[left, right], Some(left)), Some(saved));
}

#[test]
fn a_window_on_a_monitor_now_gone_comes_back_on_the_primary_one() {
    let left = monitor(0, 0, 1920, 1080);
    let saved = geometry(2100, 100, 1400, 900); // was on a second monitor
    let g = place(Some(saved), &[left], Some(left)).expect("placed");
    assert_eq!((g.width, g.height), (1400, 900), "its size kept");
    assert_eq!((g.x, g.y), (260, 90), "centred on the monitor left");

    let huge = geometry(5000, 3000, 3000, 2000);
    let g = place(Some(huge), &[left], Some(left)).expect("placed");
    assert_eq!(
        (g.x, g.y, g.width, g.height),
        (0, 0, 1920, 1080),
        "shrunk to fit"
    );
}

#[test]
fn a_title_bar_just_off_the_edge_counts_as_gone() {
    let only = monitor(0, 0, 1920, 1080);
    // Only 50 pixels of its width on screen: not enough to grab.
    let saved = geometry(1870, 200, 1000, 700);
    let g = place(Some(saved), &[only], Some(only)).expect("placed");
    assert_eq!((g.x, g.y), (460, 190));
    // Its title bar above the screen's top: gone too, even though its body shows.
    let above = geometry(100, -300, 1000, 700);
    assert_ne!(place(Some(above), &[only], Some(only)), Some(above));
}

#[test]
fn without_monitors_the_saved_window_stands() {
    assert_eq!(place(None, &[], None), None);
    let saved = geometry(10, 10, 1200, 800);
    assert_eq!(place(Some(saved), &[], None), Some(saved));
}

#[test]
fn the_file_reads_old_and_partial_contents() {
    let stored: Stored = serde_json::from_str(r#"{"appearance":"dark"}"#).expect("parsed");
    assert_eq!(stored.appearance, Appearance::Dark);
    assert!(stored.window.is_none());
    let stored: Stored =
        serde_json::from_str(r#"{"window":{"x":1,"y":2,"width":3,"height":4}}"#).expect("parsed");
    assert_eq!(stored.window, Some(geometry(1, 2, 3, 4)));
    assert_eq!(stored.appearance, Appearance::System);
}
